import { Alert, Button, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { isApiError } from '../api';
import { fieldError, FormActions, FormProblem } from '../components/common';
import { notifySuccess } from '../notify';
import type { RecordDetail } from './types';

/**
 * Edits one part of a record (a section of a page) at the version the editor read, with a reason
 * for the audit trail. The caller owns the inputs and says which fields differ; only those are sent.
 */
export function SectionEditor<T extends RecordDetail>({
  record,
  update,
  listKey,
  changes,
  labels,
  fieldNames,
  onDone,
  onReload,
  children,
}: {
  record: T;
  update: (id: string, body: Record<string, unknown>) => Promise<T>;
  listKey: string;
  /** The fields that differ from the record, as request values. */
  changes: Record<string, unknown>;
  /** Field name → label, for the "Changed: …" line. */
  labels: Record<string, string>;
  /** Every field the inputs edit, so that server errors about them are not repeated in the summary. */
  fieldNames: string[];
  onDone: () => void;
  onReload: () => void;
  /** The inputs, given the server's message for a field of the last failed save. */
  children: (errorFor: (name: string) => string | undefined) => ReactNode;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const changed = Object.keys(changes);

  const save = useMutation({
    mutationFn: () => update(record.id, { version: record.version, reason: reason.trim(), ...changes }),
    onSuccess: (updated) => {
      queryClient.setQueryData(['record', record.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['record', record.id] });
      void queryClient.invalidateQueries({ queryKey: [listKey] });
      notifySuccess('Changes saved', `${updated.number} is now at version ${updated.version}.`);
      onDone();
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed.length === 0) return setLocalError('Nothing was changed.');
    if (!reason.trim()) return setLocalError('Give the reason for this change: it is recorded in the audit trail.');
    setLocalError(null);
    save.mutate();
  };
  const conflict = isApiError(save.error) && save.error.code === 'VERSION_CONFLICT';

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {children((name) => fieldError(save.error, name))}
        <Textarea
          label="Reason for change"
          description={`Recorded in the audit trail with the old and new values. ${changed.length ? `Changed: ${changed.map((f) => labels[f] ?? f).join(', ')}.` : 'Nothing changed yet.'}`}
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={localError ?? fieldError(save.error, 'reason')}
        />
        {conflict && (
          <Alert color="orange" title="Someone else changed this record — reload" role="alert">
            <Text size="sm">
              The record was changed after you opened it (you edited version {record.version}). Your input is kept. Reload to get the latest version, check it, then
              save again.
            </Text>
            <Button
              size="xs"
              mt="xs"
              variant="white"
              color="orange"
              onClick={() => {
                save.reset();
                onReload();
              }}
            >
              Reload record (keep my input)
            </Button>
          </Alert>
        )}
        {!conflict && <FormProblem error={save.error} shownFields={[...fieldNames, 'reason']} />}
        <FormActions submitLabel="Save changes" loading={save.isPending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
