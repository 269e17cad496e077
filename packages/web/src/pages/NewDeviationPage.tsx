import { Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useMe } from '../auth';
import { fieldError, FormActions, FormProblem } from '../components/common';
import { endpoints, recordHref } from '../endpoints';
import { localZone } from '../format';
import { notifySuccess } from '../notify';
import { navigate } from '../router';

/** "2026-03-12T14:05" for a datetime-local input, in local time. */
function localNow(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const fieldNames = ['title', 'siteCode', 'description', 'occurredAt', 'area', 'productBatch', 'immediateAction'];

/** Quick capture on the shop floor: what happened, where, when, and what was done straight away. */
export function NewDeviationPage() {
  const queryClient = useQueryClient();
  const me = useMe().data;
  const sites = useQuery({ queryKey: ['sites'], queryFn: endpoints.sites, staleTime: 300_000 });
  const mySites = [...new Set(me?.roles.map((r) => r.siteCode) ?? [])];
  const [form, setForm] = useState({
    title: '',
    siteCode: mySites.length === 1 ? mySites[0] : '',
    description: '',
    occurredAt: localNow(),
    area: '',
    productBatch: '',
    immediateAction: '',
  });
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });

  const create = useMutation({
    mutationFn: () => {
      const occurred = new Date(form.occurredAt);
      return endpoints.createDeviation({
        title: form.title.trim(),
        siteCode: form.siteCode,
        description: form.description.trim(),
        occurredAt: Number.isNaN(occurred.getTime()) ? form.occurredAt : occurred.toISOString(),
        area: form.area.trim() || undefined,
        productBatch: form.productBatch.trim() || undefined,
        immediateAction: form.immediateAction.trim() || undefined,
      });
    },
    onSuccess: (deviation) => {
      void queryClient.invalidateQueries({ queryKey: ['deviations'] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      queryClient.setQueryData(['record', deviation.id], deviation);
      notifySuccess(`${deviation.number} reported`, 'QA has been asked to triage it.');
      navigate(recordHref('deviation', deviation.id));
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
      <Title order={2}>Report a deviation</Title>
      <Text size="sm" c="dimmed" mb="md">
        Record what happened as soon as you notice it. QA will classify it; you do not need to know the root cause now.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Title" description="One line: what went wrong" required maxLength={200} value={form.title} onChange={set('title')} error={err('title')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label="Site"
              required
              placeholder="Choose the site"
              data={siteOptions}
              value={form.siteCode || null}
              onChange={(v) => setForm({ ...form, siteCode: v ?? '' })}
              error={err('siteCode')}
            />
            <TextInput
              label="Occurred at"
              description={`Local time (${localZone})`}
              type="datetime-local"
              required
              value={form.occurredAt}
              onChange={set('occurredAt')}
              error={err('occurredAt')}
            />
          </SimpleGrid>
          <Textarea label="Description" description="What was observed, where, by whom; the facts" required autosize minRows={4} maxRows={14} value={form.description} onChange={set('description')} error={err('description')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Area / location" placeholder="e.g. Filling line 2, cleanroom B" value={form.area} onChange={set('area')} error={err('area')} />
            <TextInput label="Product / batch" placeholder="e.g. Product X, batch 24-0117" value={form.productBatch} onChange={set('productBatch')} error={err('productBatch')} />
          </SimpleGrid>
          <Textarea
            label="Immediate action / containment"
            description="What was done straight away (stopped the line, quarantined material, …)"
            autosize
            minRows={2}
            maxRows={10}
            value={form.immediateAction}
            onChange={set('immediateAction')}
            error={err('immediateAction')}
          />
          <FormProblem error={create.error} shownFields={fieldNames} />
          <FormActions submitLabel="Report deviation" loading={create.isPending} onCancel={() => window.history.back()} />
        </Stack>
      </form>
    </Paper>
  );
}
