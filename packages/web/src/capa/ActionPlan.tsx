import { Anchor, Badge, Button, Checkbox, Group, Modal, Progress, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Empty, fieldError, FormActions, FormProblem, StatusBadge } from '../components/common';
import { PersonSelect } from '../components/people';
import { DueDate } from '../components/RecordTable';
import { formatDate } from '../format';
import { notifySuccess } from '../notify';
import { linkProps, navigate } from '../router';
import { type CapaDetail, capaEndpoints, type CreateActionInput } from './endpoints';
import { actionKindLabels } from './labels';
import { Section } from './Section';

const isoToday = () => new Date().toISOString().slice(0, 10);

/** The action plan: each corrective and preventive action with its owner, due date and status. */
export function ActionPlanSection({ capa }: { capa: CapaDetail }) {
  const [adding, setAdding] = useState(false);
  const live = capa.actions.filter((a) => a.status !== 'cancelled');
  const done = live.filter((a) => a.status === 'done').length;
  const overdue = live.filter((a) => a.overdue && a.status === 'open').length;
  return (
    <Section
      title="Action plan"
      testId="capa-actions"
      actions={
        capa.abilities.addAction && (
          <Button size="xs" variant={live.length ? 'default' : 'filled'} onClick={() => setAdding(true)}>
            Add action
          </Button>
        )
      }
    >
      {capa.actions.length === 0 ? (
        <Empty>
          No actions planned yet.
          {capa.status === 'investigation' ? ' The plan needs at least one corrective or preventive action before QA can approve it.' : ''}
        </Empty>
      ) : (
        <Stack gap="xs">
          <Group gap="sm" wrap="nowrap">
            <Progress value={live.length ? (done / live.length) * 100 : 0} color="teal" style={{ flex: 1 }} aria-label="Actions done" />
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="actions-done">
              {done} of {live.length} done
            </Text>
            {overdue > 0 && (
              <Badge color="red" size="sm">
                {overdue} overdue
              </Badge>
            )}
          </Group>
          <Table.ScrollContainer minWidth={600}>
            <Table fz="sm" verticalSpacing={6} highlightOnHover aria-label="Action plan">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {capa.actions.map((a) => {
                  const href = `/actions/${a.id}`;
                  return (
                    <Table.Tr key={a.id} onClick={() => navigate(href)} style={{ cursor: 'pointer', verticalAlign: 'top', opacity: a.status === 'cancelled' ? 0.6 : 1 }} data-testid="action-row">
                      <Table.Td style={{ minWidth: 200 }}>
                        <Anchor {...linkProps(href)} fw={600} fz="sm" onClickCapture={(e) => e.stopPropagation()}>
                          {a.number}
                        </Anchor>
                        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                          {a.title}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={a.kind === 'preventive' ? 'indigo' : 'teal'} tt="none" radius="sm" styles={{ root: { maxWidth: 'none' }, label: { overflow: 'visible' } }}>
                          {actionKindLabels[a.kind] ?? a.kind}
                        </Badge>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{a.ownerName}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <DueDate dueDate={a.dueDate} overdue={a.overdue && a.status === 'open'} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <StatusBadge status={a.status} label={a.statusLabel} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      {adding && <AddActionModal capa={capa} onClose={() => setAdding(false)} />}
    </Section>
  );
}

/** Plans one action: what, who (someone who may complete actions at the CAPA's site), by when. */
function AddActionModal({ capa, onClose }: { capa: CapaDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Omit<CreateActionInput, 'ownerId'> & { ownerId: string | null }>({
    kind: 'corrective',
    title: '',
    description: '',
    ownerId: null,
    dueDate: '',
    requiresChange: false,
    requiresDocumentRevision: false,
  });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const add = useMutation({
    mutationFn: () => capaEndpoints.addAction(capa.id, { ...form, title: form.title.trim(), description: form.description.trim(), ownerId: form.ownerId ?? '' }),
    onSuccess: (action) => {
      void queryClient.invalidateQueries({ queryKey: ['record', capa.id] });
      void queryClient.invalidateQueries({ queryKey: ['capas'] });
      notifySuccess(`${action.number} planned`, `${action.ownerName} sees it in their tasks.`);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (!form.title.trim()) errors.title = 'Say what is to be done';
    if (!form.description.trim()) errors.description = 'Describe the action';
    if (!form.ownerId) errors.ownerId = 'Choose who does it';
    if (!form.dueDate) errors.dueDate = 'Set the due date';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) add.mutate();
  };
  const err = (name: string) => localErrors[name] ?? fieldError(add.error, name);
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Add an action to {capa.number}</Text>} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={500} mb={4}>
              Kind
            </Text>
            <SegmentedControl
              fullWidth
              value={form.kind}
              onChange={(v) => setForm({ ...form, kind: v === 'preventive' ? 'preventive' : 'corrective' })}
              data={[
                { value: 'corrective', label: 'Corrective: remove the cause' },
                { value: 'preventive', label: 'Preventive: stop it elsewhere' },
              ]}
            />
          </div>
          <TextInput label="Title" description="One line: what is to be done" required maxLength={200} value={form.title} onChange={(e) => setForm({ ...form, title: e.currentTarget.value })} error={err('title')} />
          <Textarea
            label="Description"
            description="Scope, expected result, references"
            required
            autosize
            minRows={3}
            maxRows={10}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
            error={err('description')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <PersonSelect
              label="Owner"
              description={`Who may complete actions at ${capa.siteCode}`}
              required
              site={capa.siteCode}
              permission="action:complete"
              value={form.ownerId}
              onChange={(ownerId) => setForm({ ...form, ownerId })}
              error={err('ownerId')}
            />
            <TextInput
              type="date"
              label="Due date"
              description={capa.dueDate ? `The CAPA is due ${formatDate(capa.dueDate)}` : undefined}
              required
              min={isoToday()}
              value={form.dueDate}
              onChange={(e) => setForm({ ...form, dueDate: e.currentTarget.value })}
              error={err('dueDate')}
            />
          </SimpleGrid>
          <Stack gap={6}>
            <Checkbox
              label="Needs a change control"
              description="The action can only be completed once a linked change control is closed"
              checked={form.requiresChange}
              onChange={(e) => setForm({ ...form, requiresChange: e.currentTarget.checked })}
            />
            <Checkbox
              label="Needs a document revision"
              description="The action can only be completed once a linked document revision is effective"
              checked={form.requiresDocumentRevision}
              onChange={(e) => setForm({ ...form, requiresDocumentRevision: e.currentTarget.checked })}
            />
          </Stack>
          <FormProblem error={add.error} shownFields={['kind', 'title', 'description', 'ownerId', 'dueDate']} />
          <FormActions submitLabel="Add action" loading={add.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
