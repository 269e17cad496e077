import { Alert, Box, Button, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { isApiError } from '../api';
import { fieldError, FormActions, FormProblem } from '../components/common';
import { notifySuccess } from '../notify';
import { fieldDef } from '../record/fields';
import { changed, FieldInput, type FieldValues, toFormValue, toPayload } from '../record/FieldInput';
import { fieldValue } from '../record/types';
import { type ChangeDetail, type ChangeEdit, changeEndpoints } from './endpoints';
import { changeFields } from './labels';

export function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Box>
  );
}

export const dash = (
  <Text span c="dimmed" size="sm">
    —
  </Text>
);

/** The text fields of a change a person edits outside the impact assessment; which of them depends on the stage. */
function editableNames(change: ChangeDetail): string[] {
  if (change.status === 'draft') return ['title', 'reason', 'scope'];
  return ['verificationSummary', 'closureSummary'];
}

/** What is changed and why; later, how it was verified. Edited with a reason for the change. */
export function RequestSection({ change, onReload }: { change: ChangeDetail; onReload: () => void }) {
  const [editing, setEditing] = useState(false);
  const { data } = change;
  const later = ['implementation', 'verification', 'closed'].includes(change.status);
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label="Request">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Request</Title>
        {change.abilities.update && !editing && (
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            {change.status === 'draft' ? 'Edit' : 'Edit verification'}
          </Button>
        )}
      </Group>
      {editing ? (
        <EditForm change={change} onDone={() => setEditing(false)} onReload={onReload} />
      ) : (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            <Labelled label="Reason for the change">
              <span data-field="reason">{data.reason || dash}</span>
            </Labelled>
            <Labelled label="Scope">
              <span data-field="scope">{data.scope || dash}</span>
            </Labelled>
          </SimpleGrid>
          {later && (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
              <Labelled label="Verification summary">
                <span data-field="verificationSummary">{data.verificationSummary || dash}</span>
              </Labelled>
              <Labelled label="Closure summary">
                <span data-field="closureSummary">{data.closureSummary || dash}</span>
              </Labelled>
            </SimpleGrid>
          )}
        </Stack>
      )}
    </Paper>
  );
}

function EditForm({ change, onDone, onReload }: { change: ChangeDetail; onDone: () => void; onReload: () => void }) {
  const queryClient = useQueryClient();
  const defs = editableNames(change).map((name) => fieldDef(changeFields, name));
  const [values, setValues] = useState<FieldValues>(() => Object.fromEntries(defs.map((def) => [def.name, toFormValue(def, fieldValue(change, def))])));
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const changedDefs = defs.filter((def) => changed(def, fieldValue(change, def), values[def.name]));

  const save = useMutation({
    mutationFn: () => {
      const body: ChangeEdit = { version: change.version, reason: reason.trim() };
      for (const def of changedDefs) {
        const value = String(toPayload(def, values[def.name]) ?? '');
        if (def.name === 'title') body.title = value;
        else if (def.name === 'reason') body.changeReason = value;
        else if (def.name === 'scope') body.scope = value;
        else if (def.name === 'verificationSummary') body.verificationSummary = value;
        else if (def.name === 'closureSummary') body.closureSummary = value;
      }
      return changeEndpoints.update(change.id, body);
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(['record', change.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['record', change.id] });
      void queryClient.invalidateQueries({ queryKey: ['changes'] });
      notifySuccess('Changes saved', `${updated.number} is now at version ${updated.version}.`);
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changedDefs.length === 0) return setLocalError('Nothing was changed.');
    if (!reason.trim()) return setLocalError('Give the reason for this change: it is recorded in the audit trail.');
    setLocalError(null);
    save.mutate();
  };
  const conflict = isApiError(save.error) && save.error.code === 'VERSION_CONFLICT';
  // The server names the change's reason `changeReason`: its errors belong next to "Reason for the change".
  const errorFor = (name: string) => fieldError(save.error, name === 'reason' ? 'changeReason' : name);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {defs.map((def) => (
          <FieldInput key={def.name} def={def} value={values[def.name]} onChange={(v) => setValues({ ...values, [def.name]: v })} error={errorFor(def.name)} />
        ))}
        <Textarea
          label="Reason for this edit"
          description={`Recorded in the audit trail with the old and new values. ${changedDefs.length ? `Changed: ${changedDefs.map((f) => f.label).join(', ')}.` : 'Nothing changed yet.'}`}
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={localError ?? (isApiError(save.error) ? save.error.problem.errors?.find((e) => e.path === 'reason')?.message : undefined)}
        />
        {conflict ? (
          <Alert color="orange" title="Someone else changed this record — reload" role="alert">
            <Text size="sm">Your input is kept below. Reload to get the latest version, check it, then save again.</Text>
            <Button size="xs" mt="xs" variant="white" color="orange" onClick={() => { save.reset(); onReload(); }}>
              Reload record (keep my input)
            </Button>
          </Alert>
        ) : (
          <FormProblem error={save.error} shownFields={['title', 'changeReason', 'scope', 'verificationSummary', 'closureSummary', 'reason']} />
        )}
        <FormActions submitLabel="Save changes" loading={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
