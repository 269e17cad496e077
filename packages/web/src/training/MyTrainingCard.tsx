import { Anchor, Badge, Button, Group, Paper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { linkProps } from '../router';
import { training } from './endpoints';
import { dueDistance } from './labels';

/** One line on "My tasks": how much training is open or overdue, the next one due, and the way to it. */
export function MyTrainingCard() {
  const mine = useQuery({ queryKey: ['training', 'my'], queryFn: training.my, meta: { silent: true } });
  if (mine.isPending || mine.isError) return null;
  const open = mine.data.open;
  const overdue = open.filter((a) => a.overdue).length;
  const failed = open.filter((a) => a.status === 'failed').length;
  const next = open.find((a) => a.status === 'open');
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      mb="md"
      component="section"
      aria-label="My training"
      data-testid="my-training-card"
      style={{ borderLeft: `4px solid var(--mantine-color-${overdue || failed ? 'red' : open.length ? 'blue' : 'green'}-6)` }}
    >
      <Group gap="sm" wrap="wrap">
        <Text fw={650}>My training</Text>
        {open.length === 0 ? (
          <Text size="sm" c="dimmed">
            All your training is complete.
          </Text>
        ) : (
          <>
            <Badge variant="light" color="blue" tt="none">
              {open.length} open
            </Badge>
            {overdue > 0 && (
              <Badge color="red" tt="none">
                {overdue} overdue
              </Badge>
            )}
            {failed > 0 && (
              <Badge color="orange" tt="none">
                {failed} failed
              </Badge>
            )}
            {next && (
              <Text size="sm" c="dimmed" style={{ flex: '1 1 260px' }} lineClamp={1}>
                Next:{' '}
                <Anchor size="sm" {...linkProps(`/training/${next.id}`)}>
                  {next.documentNumber} {next.title}
                </Anchor>{' '}
                ({dueDistance(next.dueAt)})
              </Text>
            )}
          </>
        )}
        <Button size="xs" variant="light" ml="auto" component="a" {...linkProps('/training')}>
          Open my training
        </Button>
      </Group>
    </Paper>
  );
}
