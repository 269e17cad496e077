import { Alert, Button, Checkbox, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { DateTime, fieldError, FormProblem } from '../components/common';
import type { Me } from '../endpoints';
import { notifySuccess } from '../notify';
import { canSign, SignatureFields, SignatureNotEstablished, type SignatureValues } from '../record/SignatureFields';
import { type Evidence, type TrainingSession, training } from './endpoints';
import { dueDistance } from './labels';
import {
  emptySignature,
  isSignatureFailure,
  SignatureFailedAlert,
  signatureFieldNames,
  signaturePayload,
  signatureProblems,
  useFreshSigningPrerequisites,
  useSignatureErrorHandler,
} from './signing';

type Row = Evidence['rows'][number];

/** Now, as the value of a datetime-local input (local time, minutes). */
function nowLocalInput(): string {
  const date = new Date();
  date.setSeconds(0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function AttendeePicker({ rows, selected, onChange, error }: { rows: Row[]; selected: Set<string>; onChange: (selected: Set<string>) => void; error?: string }) {
  const [filter, setFilter] = useState('');
  const shown = rows.filter((r) => !filter.trim() || `${r.fullName} ${r.username} ${r.department ?? ''}`.toLowerCase().includes(filter.trim().toLowerCase()));
  const allShown = shown.length > 0 && shown.every((r) => selected.has(r.userId));
  const toggle = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) on ? next.add(id) : next.delete(id);
    onChange(next);
  };
  return (
    <Paper withBorder radius="md" style={error ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}>
      <Group p="sm" gap="sm" justify="space-between" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <div>
          <Text fw={600} size="sm">
            Attendees{' '}
            <Text span c="red">
              *
            </Text>
          </Text>
          <Text size="xs" c={error ? 'red.7' : 'dimmed'}>
            {error ?? `${selected.size} of ${rows.length} people with open training on this revision selected`}
          </Text>
        </div>
        <TextInput placeholder="Filter by name or department" size="xs" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} aria-label="Filter attendees" w={240} />
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" p="md" ta="center">
          Nobody has open training on this revision.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560} mah={360}>
          <Table striped highlightOnHover verticalSpacing={4} fz="sm" stickyHeader aria-label="People with open training">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label="Select everyone shown"
                    checked={allShown}
                    indeterminate={!allShown && shown.some((r) => selected.has(r.userId))}
                    onChange={(e) =>
                      toggle(
                        shown.map((r) => r.userId),
                        e.currentTarget.checked,
                      )
                    }
                  />
                </Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Department</Table.Th>
                <Table.Th>Due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((r) => {
                const overdue = Date.parse(r.dueAt) < Date.now();
                return (
                  <Table.Tr key={r.userId} onClick={() => toggle([r.userId], !selected.has(r.userId))} style={{ cursor: 'pointer' }}>
                    <Table.Td>
                      <Checkbox
                        aria-label={`${r.fullName} attended`}
                        checked={selected.has(r.userId)}
                        onChange={(e) => toggle([r.userId], e.currentTarget.checked)}
                        onClick={(e) => e.stopPropagation()}
                      />
                    </Table.Td>
                    <Table.Td>
                      {r.fullName}{' '}
                      <Text span size="xs" c="dimmed">
                        {r.username}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.department ?? '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <DateTime iso={r.dueAt} />{' '}
                      <Text span size="xs" c={overdue ? 'red.7' : 'dimmed'}>
                        {dueDistance(r.dueAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

/** The session itself: attendees, when, how long, where, and the trainer's signature. */
export function SessionForm({ me, revisionId, rows, onRecorded }: { me: Me; revisionId: string; rows: Row[]; onRecorded: (session: TrainingSession) => void }) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [heldAt, setHeldAt] = useState(nowLocalInput);
  const [duration, setDuration] = useState<number | string>(60);
  const [location, setLocation] = useState('');
  const [notes, setNotes] = useState('');
  const [signature, setSignature] = useState<SignatureValues>(() => emptySignature('training_delivered'));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  useFreshSigningPrerequisites(me, true);
  const onSignatureError = useSignatureErrorHandler(setSignature);
  const record = useMutation({
    mutationFn: () =>
      training.recordSession({
        revisionId,
        heldAt: new Date(heldAt).toISOString(),
        durationMinutes: Number(duration),
        location: location.trim() || undefined,
        notes: notes.trim() || undefined,
        attendeeIds: [...selected],
        signature: signaturePayload(me, signature),
      }),
    meta: { silent: true },
    onSuccess: (session) => {
      void queryClient.invalidateQueries({ queryKey: ['training'] });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      notifySuccess('Session recorded', `${session.completed} attendee${session.completed === 1 ? '' : 's'} trained.`);
      onRecorded(session);
    },
    onError: onSignatureError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSign(me)) return;
    const errors = signatureProblems(me, signature);
    if (selected.size === 0) errors.attendeeIds = 'Choose who attended';
    const held = Date.parse(heldAt);
    if (!heldAt || Number.isNaN(held)) errors.heldAt = 'When was the session held?';
    else if (held > Date.now() + 5 * 60_000) errors.heldAt = 'The session cannot be in the future';
    if (!Number.isInteger(Number(duration)) || Number(duration) < 1) errors.durationMinutes = 'Minutes, at least 1';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) record.mutate();
  };
  const errorFor = (name: string) => localErrors[name] ?? fieldError(record.error, name);
  return (
    <form onSubmit={submit} noValidate aria-label="Training session">
      <Stack gap="md">
        {!canSign(me) && <SignatureNotEstablished />}
        <AttendeePicker rows={rows} selected={selected} onChange={setSelected} error={errorFor('attendeeIds')} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput label="Held at" type="datetime-local" required value={heldAt} onChange={(e) => setHeldAt(e.currentTarget.value)} error={errorFor('heldAt')} />
          <NumberInput label="Duration (minutes)" required min={1} max={1440} value={duration} onChange={setDuration} error={errorFor('durationMinutes')} />
          <TextInput
            label="Location"
            placeholder="e.g. Training room 2"
            value={location}
            onChange={(e) => setLocation(e.currentTarget.value)}
            error={errorFor('location')}
            maxLength={200}
          />
        </SimpleGrid>
        <Textarea
          label="Notes"
          placeholder="Content covered, practical demonstration, questions asked…"
          autosize
          minRows={2}
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          error={errorFor('notes')}
        />
        <SignatureFailedAlert error={record.error} />
        <SignatureFields me={me} meanings={['training_delivered']} values={signature} onChange={setSignature} errorFor={errorFor} />
        {!isSignatureFailure(record.error) && (
          <FormProblem error={record.error} shownFields={[...signatureFieldNames, 'attendeeIds', 'heldAt', 'durationMinutes', 'location', 'notes']} />
        )}
        {selected.size > 0 && (
          <Alert color="blue" variant="light" p="xs">
            Your signature completes the training of {selected.size} {selected.size === 1 ? 'person' : 'people'} on this revision.
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={record.isPending} disabled={!canSign(me)} data-testid="record-session">
            Sign: training delivered
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
