import { Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useMe } from '../auth';
import { fieldError, FormActions, FormProblem } from '../components/common';
import { documentEndpoints } from '../documents/endpoints';
import { confidentialityOptions } from '../documents/labels';
import { MarkdownEditor } from '../documents/MarkdownEditor';
import { endpoints } from '../endpoints';
import { notifySuccess } from '../notify';
import { navigate } from '../router';

const fieldNames = ['docType', 'siteCode', 'department', 'title', 'confidentiality', 'body', 'changeSummary'];

/** A new controlled document: it is numbered at once (SOP-QA-001) and starts as draft revision 1.0. */
export function NewDocumentPage() {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000 });
  const types = useQuery({ queryKey: ['document-types'], queryFn: documentEndpoints.documentTypes, staleTime: 300_000 });
  const mySites = [...new Set(me?.roles.filter((r) => ['investigator', 'qa_reviewer', 'qa_manager', 'document_controller'].includes(r.role)).map((r) => r.siteCode) ?? [])];
  const [form, setForm] = useState({
    docType: 'sop',
    siteCode: mySites.length === 1 ? mySites[0] : '',
    department: '',
    title: '',
    confidentiality: 'internal',
    body: '',
    changeSummary: '',
  });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const create = useMutation({
    mutationFn: () =>
      documentEndpoints.createDocument({
        docType: form.docType,
        siteCode: form.siteCode,
        department: form.department.trim(),
        title: form.title.trim(),
        confidentiality: form.confidentiality,
        body: form.body.trim() ? form.body : undefined,
        changeSummary: form.changeSummary.trim() || undefined,
      }),
    onSuccess: (document) => {
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      queryClient.setQueryData(['record', document.id], document);
      const draft = document.revisions[0];
      notifySuccess(`${document.number} created`, 'Draft 1.0: write the text, name the reviewers, then sign and send it for review.');
      navigate(draft ? `/documents/revisions/${draft.id}` : `/documents/${document.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const err = (name: string) => fieldError(create.error, name);
  const prefix = types.data?.items.find((t) => t.code === form.docType)?.prefix ?? '…';

  return (
    <Paper withBorder p="lg" radius="md" maw={1100}>
      <Title order={2}>New document</Title>
      <Text size="sm" c="dimmed" mb="md">
        The document gets its number now and starts as draft revision 1.0. It becomes effective only after review and a signed approval.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
            <Select
              label="Type"
              required
              data={(types.data?.items ?? []).map((t) => ({ value: t.code, label: `${t.prefix} — ${t.label}` }))}
              value={form.docType}
              onChange={(v) => set('docType')(v ?? '')}
              allowDeselect={false}
              comboboxProps={{ width: 'target', position: 'bottom-start' }}
              title={types.data?.items.find((t) => t.code === form.docType)?.label}
              error={err('docType')}
            />
            <Select
              label="Site"
              required
              placeholder="Choose the site"
              data={(sites.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))}
              value={form.siteCode || null}
              onChange={(v) => set('siteCode')(v ?? '')}
              error={err('siteCode')}
            />
            <TextInput
              label="Department"
              description={`Numbered ${prefix}-${form.department.trim() || 'DEPT'}-001`}
              placeholder="e.g. QA"
              required
              maxLength={10}
              value={form.department}
              onChange={(e) => set('department')(e.currentTarget.value.toUpperCase())}
              error={err('department')}
            />
            <Select
              label="Confidentiality"
              data={confidentialityOptions}
              value={form.confidentiality}
              onChange={(v) => set('confidentiality')(v ?? 'internal')}
              allowDeselect={false}
              error={err('confidentiality')}
            />
          </SimpleGrid>
          <TextInput label="Title" required maxLength={300} value={form.title} onChange={(e) => set('title')(e.currentTarget.value)} error={err('title')} />
          <Textarea
            label="Change summary"
            description="Optional now; required before review. For a new document, e.g. “New SOP replacing the paper procedure”"
            autosize
            minRows={2}
            value={form.changeSummary}
            onChange={(e) => set('changeSummary')(e.currentTarget.value)}
            error={err('changeSummary')}
          />
          <MarkdownEditor value={form.body} onChange={set('body')} error={err('body')} />
          <FormProblem error={create.error} shownFields={fieldNames} />
          <FormActions submitLabel="Create draft" loading={create.isPending} onCancel={() => window.history.back()} />
        </Stack>
      </form>
    </Paper>
  );
}
