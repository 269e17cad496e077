import { Anchor, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Empty, fieldError, FormActions, FormProblem, Loading, QueryError, StatusBadge } from '../components/common';
import { PersonSelect } from '../components/people';
import { DueDate } from '../components/RecordTable';
import { recordHref } from '../endpoints';
import { humanize } from '../format';
import { notifySuccess } from '../notify';
import { linkProps } from '../router';
import { type ChangeDetail, changeEndpoints } from './endpoints';
import { LinkDocumentModal } from './LinkDocumentModal';

function AddTaskModal({ change, onClose }: { change: ChangeDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [dueDate, setDueDate] = useState(change.dueDate ?? '');
  const [tried, setTried] = useState(false);
  const add = useMutation({
    mutationFn: () => changeEndpoints.addTask(change.id, { title: title.trim(), description: description.trim(), ownerId: ownerId ?? '', dueDate }),
    onSuccess: (task) => {
      void queryClient.invalidateQueries({ queryKey: ['record', change.id] });
      void queryClient.invalidateQueries({ queryKey: ['tasks'] });
      notifySuccess(`${task.number} added`, `${task.ownerName} is asked to do it by the due date.`);
      onClose();
    },
  });
  const local: Record<string, string | undefined> = tried
    ? {
        title: title.trim() ? undefined : 'Say what is to be done',
        description: description.trim() ? undefined : 'Describe the task and what counts as done',
        ownerId: ownerId ? undefined : 'Choose who does it',
        dueDate: dueDate ? undefined : 'Set the due date',
      }
    : {};
  const err = (name: string) => local[name] ?? fieldError(add.error, name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (title.trim() && description.trim() && ownerId && dueDate) add.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Add an implementation task to {change.number}</Text>} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Task" description="One line: what is to be done" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={err('title')} />
          <Textarea
            label="Description"
            description="What exactly, and what evidence shows it is done"
            required
            autosize
            minRows={3}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={err('description')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <PersonSelect
              label="Owner"
              description={`Who does it, at ${change.siteCode}`}
              required
              site={change.siteCode}
              permission="action:complete"
              value={ownerId}
              onChange={setOwnerId}
              error={err('ownerId')}
            />
            <TextInput label="Due date" type="date" required value={dueDate} onChange={(e) => setDueDate(e.currentTarget.value)} error={err('dueDate')} inputWrapperOrder={['label', 'description', 'input', 'error']} description="The change is due on its own date" />
          </SimpleGrid>
          <FormProblem error={add.error} shownFields={['title', 'description', 'ownerId', 'dueDate']} />
          <FormActions submitLabel="Add task" loading={add.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/** The revisions that implement the change: each must be effective before the change goes to verification. */
function LinkedRevisions({ change }: { change: ChangeDetail }) {
  const impact = useQuery({ queryKey: ['record', change.id, 'impact'], queryFn: () => changeEndpoints.impact(change.id) });
  if (impact.isPending) return <Loading />;
  if (impact.isError) return <QueryError error={impact.error} what="the linked revisions" />;
  const revisions = impact.data.linked.filter((r) => r.type === 'document_revision');
  if (!revisions.length) return <Empty>No document revision linked yet.</Empty>;
  return (
    <Stack gap={4} data-testid="linked-revisions">
      {revisions.map((r) => {
        const done = r.status === 'effective' || r.status === 'superseded';
        return (
          <Group key={r.id} gap={6} wrap="nowrap">
            <Text size="sm" c={done ? 'teal.7' : 'orange.7'} aria-hidden w={14}>
              {done ? '✓' : '○'}
            </Text>
            <Anchor size="sm" fw={600} {...linkProps(recordHref(r.type, r.id))} style={{ whiteSpace: 'nowrap' }}>
              {r.number}
            </Anchor>
            <Text size="sm" lineClamp={1} style={{ minWidth: 0 }}>
              {r.title}
            </Text>
            <StatusBadge status={r.status} label={humanize(r.status)} />
          </Group>
        );
      })}
    </Stack>
  );
}

/** Implementation: the tasks of the change and the document revisions that implement it. */
export function TasksPanel({ change }: { change: ChangeDetail }) {
  const [adding, setAdding] = useState(false);
  const [linking, setLinking] = useState(false);
  const open = change.actions.filter((a) => a.status === 'open').length;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label="Implementation">
      <Group justify="space-between" wrap="nowrap">
        <Title order={4}>Implementation</Title>
        {change.abilities.addAction && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)} data-testid="add-task">
            Add task
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        Verification can start when every task is done and every linked revision is effective.
      </Text>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }} mb={4}>
        Tasks{change.actions.length ? ` (${open} open of ${change.actions.length})` : ''}
      </Text>
      {change.actions.length === 0 ? (
        <Empty>No tasks yet.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table fz="sm" verticalSpacing={6} aria-label="Tasks" data-testid="change-tasks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Task</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {change.actions.map((task) => (
                <Table.Tr key={task.id}>
                  <Table.Td>
                    <Anchor size="sm" fw={600} {...linkProps(recordHref('action', task.id))}>
                      {task.number}
                    </Anchor>
                    <Text size="sm">{task.title}</Text>
                  </Table.Td>
                  <Table.Td>{task.ownerName}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <DueDate dueDate={task.dueDate} overdue={task.overdue} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={task.status} label={task.statusLabel} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between" mt="md" mb={4}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }}>
          Document revisions
        </Text>
        {change.abilities.link && (
          <Button size="compact-xs" variant="subtle" onClick={() => setLinking(true)}>
            Link a revision…
          </Button>
        )}
      </Group>
      <LinkedRevisions change={change} />
      {adding && <AddTaskModal change={change} onClose={() => setAdding(false)} />}
      {linking && <LinkDocumentModal change={change} onClose={() => setLinking(false)} />}
    </Paper>
  );
}
