import { Alert, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldError, FormActions, FormProblem } from '../components/common';
import { documentEndpoints } from '../documents/endpoints';
import { endpoints } from '../endpoints';
import { humanize } from '../format';
import { notifySuccess } from '../notify';
import { DocumentPicker } from '../training/pickers';
import type { ChangeDetail } from './endpoints';

type Target = { id: string; type: 'document' | 'document_revision'; number: string; label: string };

const linkTypeOptions = [
  { value: 'implements', label: 'Implements the change (revision)' },
  { value: 'relates-to', label: 'Relates to the change' },
];

/** A document or revision found by number or title in the full-text search. */
function SearchTarget({ value, onChange, error }: { value: Target | null; onChange: (target: Target | null) => void; error?: string }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search === value?.label ? '' : search.trim(), 250);
  const hits = useQuery({ queryKey: ['search', q], queryFn: () => endpoints.search(q), enabled: q.length >= 2, placeholderData: keepPreviousData });
  const targets: Target[] = (hits.data?.items ?? [])
    .filter((h) => h.type === 'document' || h.type === 'document_revision')
    .map((h) => ({ id: h.id, type: h.type as Target['type'], number: h.number, label: `${h.number} · ${h.title} (${h.statusLabel || humanize(h.status)})` }));
  const options = [...(value && !targets.some((t) => t.id === value.id) ? [value] : []), ...targets];
  return (
    <Select
      label="Document or revision"
      description="Type a number (e.g. SOP-PRD-001 v2) or words of the title"
      placeholder="Number or title"
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      data={options.map((t) => ({ value: t.id, label: t.label }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(options.find((t) => t.id === id) ?? null)}
      filter={({ options: all }) => all}
      nothingFoundMessage={q.length >= 2 ? (hits.isFetching ? 'Searching…' : 'No matching document or revision') : 'Type at least 2 characters'}
      error={error}
    />
  );
}

/** A document from the library, then the document itself or one of its revisions. */
function LibraryTarget({ value, onChange, error }: { value: Target | null; onChange: (target: Target | null) => void; error?: string }) {
  const [documentId, setDocumentId] = useState<string | null>(null);
  const document = useQuery({ queryKey: ['record', documentId], queryFn: () => documentEndpoints.getDocument(documentId ?? ''), enabled: Boolean(documentId) });
  const options: Target[] = document.data
    ? [
        { id: document.data.id, type: 'document', number: document.data.number, label: `${document.data.number} — the document as a whole` },
        ...[...document.data.revisions]
          .reverse()
          .map((r) => ({ id: r.id, type: 'document_revision' as const, number: `${document.data.number} v${r.versionLabel}`, label: `${document.data.number} v${r.versionLabel} — ${r.statusLabel}` })),
      ]
    : [];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <DocumentPicker
        label="Document"
        value={documentId}
        onChange={(id) => {
          setDocumentId(id);
          onChange(null);
        }}
      />
      <Select
        label="Revision"
        placeholder={documentId ? (document.isPending ? 'Loading…' : 'Choose') : 'Choose a document first'}
        disabled={!document.data}
        data={options.map((t) => ({ value: t.id, label: t.label }))}
        value={value?.id ?? null}
        onChange={(id) => onChange(options.find((t) => t.id === id) ?? null)}
        error={error}
      />
    </SimpleGrid>
  );
}

/**
 * Link a controlled document or one of its revisions to the change: the document's readers appear in
 * the change impact, and a revision that implements the change must be effective before verification.
 */
export function LinkDocumentModal({ change, onClose }: { change: ChangeDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState('search');
  const [target, setTarget] = useState<Target | null>(null);
  const [type, setType] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const linkType = type ?? (target?.type === 'document_revision' ? 'implements' : 'relates-to');

  const add = useMutation({
    mutationFn: () => endpoints.createLink(change.id, { targetId: target?.id ?? '', type: linkType, reason: reason.trim() || undefined }),
    onSuccess: () => {
      notifySuccess('Linked', `${target?.number ?? 'The document'} is linked to ${change.number}.`);
      void queryClient.invalidateQueries({ queryKey: ['record', change.id] });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (target) add.mutate();
  };
  const targetError = (tried && !target ? 'Choose a document or revision' : undefined) ?? fieldError(add.error, 'targetId');

  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Link a document to {change.number}</Text>} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SegmentedControl
            data={[
              { value: 'search', label: 'Find by number' },
              { value: 'library', label: 'Browse the library' },
            ]}
            value={mode}
            onChange={(m) => {
              setMode(m);
              setTarget(null);
            }}
          />
          {mode === 'search' ? <SearchTarget value={target} onChange={setTarget} error={targetError} /> : <LibraryTarget value={target} onChange={setTarget} error={targetError} />}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select label="Link" data={linkTypeOptions} value={linkType} onChange={setType} allowDeselect={false} error={fieldError(add.error, 'type')} />
            <TextInput label="Reason (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError(add.error, 'reason')} />
          </SimpleGrid>
          {target?.type === 'document_revision' && linkType === 'implements' && (
            <Alert color="blue" variant="light" p="xs">
              <Text size="sm">The implementation is complete only when this revision is effective.</Text>
            </Alert>
          )}
          {target?.type === 'document' && (
            <Alert color="gray" variant="light" p="xs">
              <Text size="sm">The document’s readers show in the change impact as the people to train. Link the new revision too once it is started.</Text>
            </Alert>
          )}
          <FormProblem error={add.error} shownFields={['targetId', 'type', 'reason']} />
          <FormActions submitLabel="Link" loading={add.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
