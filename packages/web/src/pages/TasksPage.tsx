import { Anchor, Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Empty, Loading, QueryError, StatusBadge } from '../components/common';
import { DueDate } from '../components/RecordTable';
import { endpoints, recordHref } from '../endpoints';
import { linkProps, navigate } from '../router';

export function TasksPage() {
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
      </Group>
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
    </>
  );
}
