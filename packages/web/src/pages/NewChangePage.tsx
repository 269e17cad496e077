import { Alert, Anchor, Input, Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { changeEndpoints, type NewChange } from '../changes/endpoints';
import { fieldError, FormActions, FormProblem, StatusBadge } from '../components/common';
import { endpoints, type Me, recordHref } from '../endpoints';
import { humanize } from '../format';
import { notifySuccess } from '../notify';
import { linkProps, navigate } from '../router';

const fieldNames = ['title', 'siteCode', 'reason', 'scope', 'changeType', 'dueDate', 'sourceRecordId'];

/** The record a change is raised from (a CAPA action, say), read through its trace: any record type has one. */
function SourceRecord({ id }: { id: string }) {
  const trace = useQuery({ queryKey: ['record', id, 'trace'], queryFn: () => endpoints.trace(id), meta: { silent: true } });
  const node = trace.data?.nodes.find((n) => n.id === id);
  return (
    <Alert color="blue" variant="light" title="Raised from another record" data-testid="change-source">
      {node ? (
        <Text size="sm">
          <Anchor size="sm" fw={600} {...linkProps(recordHref(node.type, node.id))}>
            {node.number}
          </Anchor>{' '}
          · {node.title} <StatusBadge status={node.status} label={humanize(node.status)} />
          <br />
          The new change is linked to it (“implements”), so the trace runs from it to the change and on to the revised documents.
        </Text>
      ) : (
        <Text size="sm">{trace.isError ? 'The source record cannot be read; the server checks it when the change is requested.' : 'Loading…'}</Text>
      )}
    </Alert>
  );
}

/** Request a change: what, why, where and how far; the impact assessment follows on the change's page. */
export function NewChangePage({ me, sourceRecordId }: { me: Me; sourceRecordId: string | null }) {
  const queryClient = useQueryClient();
  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000 });
  const mySites = [...new Set(me.roles.filter((r) => ['qa_manager', 'qa_reviewer', 'investigator', 'document_controller'].includes(r.role)).map((r) => r.siteCode))];
  const [form, setForm] = useState({ title: '', siteCode: mySites.length === 1 ? mySites[0] : '', reason: '', scope: '', changeType: 'permanent', dueDate: '' });
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });

  const create = useMutation({
    mutationFn: () => {
      const body: NewChange = {
        title: form.title.trim(),
        siteCode: form.siteCode,
        reason: form.reason.trim(),
        scope: form.scope.trim(),
        changeType: form.changeType === 'temporary' ? 'temporary' : 'permanent',
      };
      if (form.dueDate) body.dueDate = form.dueDate;
      if (sourceRecordId) body.sourceRecordId = sourceRecordId;
      return changeEndpoints.create(body);
    },
    onSuccess: (change) => {
      void queryClient.invalidateQueries({ queryKey: ['changes'] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      if (sourceRecordId) void queryClient.invalidateQueries({ queryKey: ['record', sourceRecordId] });
      queryClient.setQueryData(['record', change.id], change);
      notifySuccess(`${change.number} requested`, 'Assess its impact by area and name the approvers, then submit it for approval.');
      navigate(recordHref('change', change.id));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const err = (name: string) => fieldError(create.error, name);
  const siteOptions = (sites.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }));

  return (
    <Paper withBorder p="lg" radius="md" maw={900}>
      <Anchor size="xs" {...linkProps('/changes')} c="dimmed">
        ← Change control
      </Anchor>
      <Title order={2} mt={4}>
        Request a change
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Describe the planned change and why it is needed. On the next page you assess its impact area by area, name an approver for each impacted
        area and rate its risk before it goes for approval.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {sourceRecordId && <SourceRecord id={sourceRecordId} />}
          <TextInput label="Title" description="One line: what will change" required maxLength={200} value={form.title} onChange={set('title')} error={err('title')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Select
              label="Site"
              required
              placeholder="Choose the site"
              data={siteOptions}
              value={form.siteCode || null}
              onChange={(v) => setForm({ ...form, siteCode: v ?? '' })}
              error={err('siteCode')}
            />
            <Input.Wrapper label="Change type" description="Temporary: for a limited time or number of batches" inputWrapperOrder={['label', 'input', 'description']}>
              <SegmentedControl
                fullWidth
                aria-label="Change type"
                data={[
                  { value: 'permanent', label: 'Permanent' },
                  { value: 'temporary', label: 'Temporary' },
                ]}
                value={form.changeType}
                onChange={(v) => setForm({ ...form, changeType: v })}
              />
            </Input.Wrapper>
            <TextInput
              label="Due date"
              description="Empty: 60 days from today"
              type="date"
              value={form.dueDate}
              onChange={set('dueDate')}
              error={err('dueDate')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
            />
          </SimpleGrid>
          <Textarea
            label="Reason for the change"
            description="Why it is needed: the problem, the CAPA, the improvement"
            required
            autosize
            minRows={3}
            maxRows={12}
            value={form.reason}
            onChange={set('reason')}
            error={err('reason')}
          />
          <Textarea
            label="Scope"
            description="What is changed and what is not: products, lines, equipment, documents, sites"
            required
            autosize
            minRows={3}
            maxRows={12}
            value={form.scope}
            onChange={set('scope')}
            error={err('scope')}
          />
          <FormProblem error={create.error} shownFields={fieldNames} />
          <FormActions submitLabel="Request change" loading={create.isPending} onCancel={() => window.history.back()} />
        </Stack>
      </form>
    </Paper>
  );
}
