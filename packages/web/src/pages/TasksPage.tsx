import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hasPermission, useMe } from '../auth';
import { formatLocal } from '../format';
import { Empty, Loading, QueryError, StatusBadge } from '../components/common';
import { DueDate } from '../components/RecordTable';
import { endpoints, recordHref } from '../endpoints';
import { linkProps, navigate } from '../router';
import { MyTrainingCard } from '../training/MyTrainingCard';

export function TasksPage() {
  const me = useMe();
  const canReport = hasPermission(me.data, 'deviation:create');
  const tasks = useQuery({ queryKey: ['tasks'], queryFn: endpoints.tasks });
  const items = tasks.data?.items ?? [];
  const overdue = items.filter((t) => t.overdue).length;
  return (
    <>
      <Group mb="md" align="flex-end" gap="sm">
        <Title order={2}>My tasks</Title>
        {items.length > 0 && (
          <Text size="sm" c="dimmed" mb={4}>
            {items.length} waiting for you
          </Text>
        )}
        {overdue > 0 && (
          <Badge color="red" mb={4}>
            {overdue} overdue
          </Badge>
        )}
        {canReport && (
          <Button ml="auto" {...linkProps('/deviations/new')} component="a">
            Report deviation
          </Button>
        )}
      </Group>
      <MyTrainingCard />
      <Paper withBorder radius="md">
        {tasks.isPending ? (
          <Loading />
        ) : tasks.isError ? (
          <QueryError error={tasks.error} what="your tasks" />
        ) : items.length === 0 ? (
          <Empty>Nothing is waiting for you. New work assigned to you appears here.</Empty>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover verticalSpacing={6} fz="sm" aria-label="My tasks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>Title</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>Waiting for</Table.Th>
                  <Table.Th>Due</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((task) => {
                  const href = recordHref(task.type, task.recordId);
                  return (
                    <Table.Tr key={`${task.recordId}:${task.action}`} onClick={() => navigate(href)} style={{ cursor: 'pointer' }}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Anchor {...linkProps(href)} fw={600} fz="sm" onClickCapture={(e) => e.stopPropagation()}>
                          {task.number}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{task.title}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <StatusBadge status={task.status} label={task.statusLabel} />
                      </Table.Td>
                      <Table.Td fw={500}>{task.actionLabel}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <DueDate dueDate={task.dueDate} overdue={task.overdue} />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <SimpleGrid cols={{ base: 1, lg: 2 }} mt="lg" spacing="lg">
        <Notifications />
        <MyReports />
      </SimpleGrid>
    </>
  );
}

/** What happened to records you may act on: written by the job worker after each workflow step. */
function Notifications() {
  const queryClient = useQueryClient();
  const inbox = useQuery({ queryKey: ['notifications'], queryFn: endpoints.notifications, refetchInterval: 30_000 });
  const markRead = useMutation({ mutationFn: endpoints.markNotificationsRead, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }) });
  const items = inbox.data?.items.slice(0, 10) ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Notifications">
      <Group justify="space-between" mb="xs">
        <Title order={4}>
          Notifications{' '}
          {(inbox.data?.unread ?? 0) > 0 && (
            <Badge ml={4} variant="filled">
              {inbox.data?.unread} new
            </Badge>
          )}
        </Title>
        {(inbox.data?.unread ?? 0) > 0 && (
          <Button size="xs" variant="subtle" onClick={() => markRead.mutate()} loading={markRead.isPending}>
            Mark all read
          </Button>
        )}
      </Group>
      {inbox.isPending ? (
        <Loading />
      ) : inbox.isError ? (
        <QueryError error={inbox.error} what="your notifications" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No notifications. When a record you can act on moves to a new step, you hear about it here.
        </Text>
      ) : (
        <Stack gap={6}>
          {items.map((n) => (
            <Stack key={n.id} gap={0}>
              <Text size="xs" c="dimmed">
                {formatLocal(n.createdAt)}
              </Text>
              {n.recordId ? (
                <Anchor size="sm" fw={n.read ? 400 : 650} {...linkProps(recordHref(n.recordType ?? 'deviation', n.recordId))}>
                  {n.message}
                </Anchor>
              ) : (
                <Text size="sm" fw={n.read ? 400 : 650}>
                  {n.message}
                </Text>
              )}
            </Stack>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** The deviations you reported that are still open, so a reporter sees what became of them. */
function MyReports() {
  const mine = useQuery({ queryKey: ['deviations', 'mine'], queryFn: () => endpoints.listDeviations({ mine: true, limit: 10, sort: '-updatedAt' }) });
  const items = mine.data?.items ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Deviations you reported">
      <Title order={4} mb="xs">
        Deviations you reported
      </Title>
      {mine.isPending ? (
        <Loading />
      ) : mine.isError ? (
        <QueryError error={mine.error} what="your reports" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          You have not reported any deviation.
        </Text>
      ) : (
        <Stack gap={6}>
          {items.map((d) => (
            <Group key={d.id} gap="xs" wrap="nowrap">
              <Anchor size="sm" fw={600} {...linkProps(recordHref(d.type, d.id))} style={{ whiteSpace: 'nowrap' }}>
                {d.number}
              </Anchor>
              <Text size="sm" lineClamp={1} style={{ flex: 1 }}>
                {d.title}
              </Text>
              <StatusBadge status={d.status} label={d.statusLabel} />
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
