import { Alert, Anchor, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useMe } from '../auth';
import { capaEndpoints } from '../capa/endpoints';
import { capaSourceOptions } from '../capa/labels';
import { RiskMatrix } from '../capa/RiskMatrix';
import { fieldError, FormActions, FormProblem, Loading, QueryError } from '../components/common';
import { type DeviationDetail, endpoints, recordHref } from '../endpoints';
import { notifySuccess } from '../notify';
import { classificationLabels } from '../record/fields';
import { linkProps, navigate } from '../router';

const fieldNames = ['title', 'siteCode', 'sourceType', 'sourceRecordId', 'problemStatement', 'riskSeverity', 'riskOccurrence', 'dueDate'];

/** The problem statement a CAPA from a deviation starts with: what happened, and what the investigation found. */
function problemFrom(deviation: DeviationDetail): string {
  const d = deviation.data as Record<string, unknown>;
  const parts = [`${deviation.number}: ${String(d.description ?? deviation.title)}`];
  if (d.rootCause) parts.push(`Root cause found by the deviation investigation: ${String(d.rootCause)}`);
  if (d.productImpact) parts.push(`Product impact: ${String(d.productImpact)}`);
  return parts.join('\n\n');
}

/** Open a CAPA: standalone, or from a deviation (`?sourceRecordId=`), prefilled from it and linked both ways. */
export function NewCapaPage({ sourceRecordId }: { sourceRecordId: string | null }) {
  const source = useQuery({ queryKey: ['record', sourceRecordId], queryFn: () => endpoints.getDeviation(sourceRecordId ?? ''), enabled: Boolean(sourceRecordId) });
  if (sourceRecordId && source.isPending) return <Loading label="Loading the deviation…" />;
  if (sourceRecordId && source.isError) return <QueryError error={source.error} what="the deviation this CAPA comes from" />;
  return <NewCapaForm deviation={source.data ?? null} />;
}

function NewCapaForm({ deviation }: { deviation: DeviationDetail | null }) {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000 });
  const mySites = [...new Set(me?.roles.map((r) => r.siteCode) ?? [])];
  const [form, setForm] = useState({
    title: deviation ? `CAPA for ${deviation.number}: ${deviation.title}`.slice(0, 200) : '',
    siteCode: deviation?.siteCode ?? (mySites.length === 1 ? mySites[0] : ''),
    sourceType: deviation ? 'deviation' : '',
    problemStatement: deviation ? problemFrom(deviation) : '',
    dueDate: '',
  });
  const [severity, setSeverity] = useState<number | null>(null);
  const [occurrence, setOccurrence] = useState<number | null>(null);
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });

  const create = useMutation({
    mutationFn: () =>
      capaEndpoints.createCapa({
        title: form.title.trim(),
        siteCode: form.siteCode,
        sourceType: form.sourceType,
        ...(deviation ? { sourceRecordId: deviation.id } : {}),
        problemStatement: form.problemStatement.trim(),
        ...(severity ? { riskSeverity: severity } : {}),
        ...(occurrence ? { riskOccurrence: occurrence } : {}),
        ...(form.dueDate ? { dueDate: form.dueDate } : {}),
      }),
    onSuccess: (capa) => {
      void queryClient.invalidateQueries({ queryKey: ['capas'] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      if (deviation) void queryClient.invalidateQueries({ queryKey: ['record', deviation.id] });
      queryClient.setQueryData(['record', capa.id], capa);
      notifySuccess(`${capa.number} opened`, deviation ? `Linked to ${deviation.number}.` : 'Start the investigation when the problem and risk are clear.');
      navigate(recordHref('capa', capa.id));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const err = (name: string) => fieldError(create.error, name);
  const siteOptions = (sites.data?.items ?? []).map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }));
  const classification = deviation ? (deviation.data as Record<string, unknown>).classification : null;

  return (
    <Paper withBorder p="lg" radius="md" maw={900}>
      <Title order={2}>{deviation ? `Open a CAPA from ${deviation.number}` : 'Open a CAPA'}</Title>
      <Text size="sm" c="dimmed" mb="md">
        State the problem and rate its risk. The investigation (5 whys, Ishikawa, root cause) and the action plan follow on the CAPA page.
      </Text>
      {deviation && (
        <Alert color="blue" variant="light" mb="md" title="From a deviation" data-testid="capa-source-deviation">
          <Text size="sm">
            <Anchor {...linkProps(recordHref('deviation', deviation.id))} fw={600}>
              {deviation.number}
            </Anchor>{' '}
            · {deviation.title}
            {classification ? ` · classified ${(classificationLabels[String(classification)] ?? String(classification)).toLowerCase()}` : ''}. The CAPA is linked to it both ways; the problem statement below is taken from it — edit it as needed.
          </Text>
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Title" description="One line: the problem to solve" required maxLength={200} value={form.title} onChange={set('title')} error={err('title')} />
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <Select
              label="Site"
              required
              placeholder="Choose the site"
              data={siteOptions}
              value={form.siteCode || null}
              onChange={(v) => setForm({ ...form, siteCode: v ?? '' })}
              error={err('siteCode')}
              disabled={Boolean(deviation)}
            />
            <Select
              label="Source"
              required
              placeholder="Where the problem came from"
              data={capaSourceOptions}
              value={form.sourceType || null}
              onChange={(v) => setForm({ ...form, sourceType: v ?? '' })}
              error={err('sourceType') ?? err('sourceRecordId')}
              disabled={Boolean(deviation)}
            />
            <TextInput type="date" label="Due date" description="Empty: 90 days from today" value={form.dueDate} onChange={set('dueDate')} error={err('dueDate')} />
          </SimpleGrid>
          <Textarea
            label="Problem statement"
            description="What is wrong, where, how often, since when: the facts"
            required
            autosize
            minRows={4}
            maxRows={14}
            value={form.problemStatement}
            onChange={set('problemStatement')}
            error={err('problemStatement')}
          />
          <RiskMatrix
            label="Risk (can be rated later, before the investigation starts)"
            severity={severity}
            occurrence={occurrence}
            onChange={(s, o) => {
              setSeverity(s);
              setOccurrence(o);
            }}
            error={err('riskSeverity') ?? err('riskOccurrence')}
          />
          <FormProblem error={create.error} shownFields={fieldNames} />
          <FormActions submitLabel="Open CAPA" loading={create.isPending} onCancel={() => window.history.back()} />
        </Stack>
      </form>
    </Paper>
  );
}
