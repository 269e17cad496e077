import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { hasPermission } from '../auth';
import { DateTime, Empty, Loading, QueryError } from '../components/common';
import type { Me } from '../endpoints';
import { linkProps, navigate } from '../router';
import { type Assignment, training } from '../training/endpoints';
import { AssignmentStatusBadge, dueDistance, formatDuration, fullBadge, methodShortLabel, reasonLabel } from '../training/labels';

function ChangedSections({ sections }: { sections: string[] }) {
  if (!sections.length) return null;
  return (
    <Group gap={4} mt={4}>
      <Text size="xs" c="dimmed">
        Changed:
      </Text>
      {sections.map((s) => (
        <Badge key={s} size="xs" color="yellow" variant="light" tt="none" styles={fullBadge}>
          {s}
        </Badge>
      ))}
    </Group>
  );
}

function OpenTraining({ items }: { items: Assignment[] }) {
  if (!items.length) return <Empty>Nothing to study. When a document you must read is approved, or your job changes, the training appears here.</Empty>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped highlightOnHover verticalSpacing={8} fz="sm" aria-label="Open training">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Document</Table.Th>
            <Table.Th>Why and how</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => {
            const href = `/training/${a.id}`;
            return (
              <Table.Tr key={a.id} onClick={() => navigate(href)} style={{ cursor: 'pointer' }} data-testid="open-training-row">
                <Table.Td style={{ minWidth: 220 }}>
                  <Anchor {...linkProps(href)} fw={600} fz="sm" onClickCapture={(e) => e.stopPropagation()}>
                    {a.documentNumber}
                  </Anchor>{' '}
                  <Text span size="sm">
                    {a.title}
                  </Text>{' '}
                  <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    v{a.versionLabel}
                  </Text>
                  <ChangedSections sections={a.changedSections} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {reasonLabel(a.reason)}
                  <Text size="xs" c="dimmed">
                    {methodShortLabel(a.method)}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <DateTime iso={a.dueAt} />
                  {a.status === 'open' && (
                    <Text size="xs" c={a.overdue ? 'red.7' : 'dimmed'} fw={a.overdue ? 600 : undefined}>
                      {dueDistance(a.dueAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <AssignmentStatusBadge status={a.status} overdue={a.overdue} />
                  {a.status === 'failed' && (
                    <Text size="xs" c="orange.8" mt={2}>
                      Your training manager re-assigns it
                    </Text>
                  )}
                  {a.status === 'open' && a.method === 'instructor_led' && (
                    <Text size="xs" c="dimmed" mt={2}>
                      The trainer records your attendance
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }} ta="right">
                  {a.status === 'open' && a.method !== 'instructor_led' && (
                    <Button size="xs" variant={a.openedAt ? 'light' : 'filled'} component="a" {...linkProps(href)} onClickCapture={(e) => e.stopPropagation()}>
                      {a.openedAt ? 'Continue' : 'Start'}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function CompletedTraining({ items }: { items: Assignment[] }) {
  if (!items.length) return <Empty>No completed training yet.</Empty>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped verticalSpacing={8} fz="sm" aria-label="Completed training">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Document</Table.Th>
            <Table.Th>Completed</Table.Th>
            <Table.Th>How</Table.Th>
            <Table.Th>Electronic signature</Table.Th>
            <Table.Th>Valid until</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((a) => (
            <Table.Tr key={a.id} data-testid="completed-training-row">
              <Table.Td style={{ minWidth: 200 }}>
                <Anchor {...linkProps(`/training/${a.id}`)} fw={600} fz="sm">
                  {a.documentNumber}
                </Anchor>{' '}
                <Text span size="sm">
                  {a.title}
                </Text>{' '}
                <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  v{a.versionLabel}
                </Text>
                {!a.current && (
                  <Text size="xs" c="dimmed">
                    A newer revision has replaced this one
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <DateTime iso={a.completedAt} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {methodShortLabel(a.method)}
                {a.timeSpentSeconds !== null && (
                  <Text size="xs" c="dimmed">
                    {formatDuration(a.timeSpentSeconds)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ minWidth: 200 }}>
                <Text size="xs" style={{ overflowWrap: 'anywhere' }} data-testid="training-manifestation">
                  {a.signatureManifestation ?? '—'}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {a.expiresAt ? (
                  <DateTime iso={a.expiresAt} />
                ) : (
                  <Text span size="sm" c="dimmed">
                    No expiry
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function MyTrainingPage({ me }: { me: Me }) {
  const mine = useQuery({ queryKey: ['training', 'my'], queryFn: training.my });
  const open = mine.data?.open ?? [];
  const overdue = open.filter((a) => a.overdue).length;
  return (
    <>
      <Group mb="md" align="flex-end" gap="sm">
        <div>
          <Title order={2}>My training</Title>
          <Text size="sm" c="dimmed">
            The documents you must read for your job, and the record of what you were trained on.
          </Text>
        </div>
        <Group gap="xs" ml="auto">
          <Button variant="default" component="a" {...linkProps('/training/qualification')}>
            Check a qualification
          </Button>
          {hasPermission(me, 'training:read') && (
            <Button variant="default" component="a" {...linkProps('/training/matrix')}>
              Training matrix
            </Button>
          )}
        </Group>
      </Group>
      {mine.isPending ? (
        <Loading />
      ) : mine.isError ? (
        <QueryError error={mine.error} what="your training" />
      ) : (
        <Stack gap="lg">
          <Paper withBorder radius="md" component="section" aria-labelledby="open-training-title">
            <Group p="sm" gap="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
              <Title order={4} id="open-training-title">
                To do
              </Title>
              <Badge variant="light" color={open.length ? 'blue' : 'gray'} tt="none">
                {open.length} open
              </Badge>
              {overdue > 0 && (
                <Badge color="red" tt="none">
                  {overdue} overdue
                </Badge>
              )}
            </Group>
            <OpenTraining items={open} />
          </Paper>
          <Paper withBorder radius="md" component="section" aria-labelledby="completed-training-title">
            <Group p="sm" gap="xs" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
              <Title order={4} id="completed-training-title">
                Completed
              </Title>
              <Text size="sm" c="dimmed">
                Your training record, newest first, with the signature that completed each
              </Text>
            </Group>
            <CompletedTraining items={mine.data.completed} />
          </Paper>
        </Stack>
      )}
    </>
  );
}
