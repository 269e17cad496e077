import { Box, Group, Paper, RingProgress, SimpleGrid, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { capaEndpoints, type OnTimeMetrics } from './endpoints';

const typeLabels: Record<string, string> = { capa: 'CAPAs', action: 'Actions', change: 'Changes', deviation: 'Deviations' };

function percent(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 100) : null;
}

function Figure({ label, value, color, hint }: { label: string; value: number; color?: string; hint: string }) {
  return (
    <Tooltip label={hint} openDelay={300}>
      <Box>
        <Text size="lg" fw={700} c={value > 0 ? color : undefined} lh={1.1}>
          {value}
        </Text>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
      </Box>
    </Tooltip>
  );
}

function OnTime({ m }: { m: OnTimeMetrics }) {
  const onTime = percent(m.closedOnTime, m.closed);
  const original = percent(m.closedOnTimeOriginalDue, m.closed);
  const color = onTime === null ? 'gray' : onTime >= 90 ? 'teal' : onTime >= 70 ? 'yellow' : 'red';
  return (
    <Group gap="sm" wrap="nowrap" data-testid={`on-time-${m.type}`}>
      <RingProgress
        size={72}
        thickness={7}
        roundCaps
        sections={onTime === null ? [] : [{ value: onTime, color }]}
        label={
          <Text size="xs" ta="center" fw={700}>
            {onTime === null ? '—' : `${onTime}%`}
          </Text>
        }
        aria-label={onTime === null ? 'None closed yet' : `${onTime}% closed on time`}
      />
      <Box style={{ minWidth: 0 }}>
        <Text size="sm" fw={650}>
          {typeLabels[m.type] ?? m.type} closed on time
        </Text>
        <Text size="xs" c="dimmed">
          {m.closed ? `${m.closedOnTime} of ${m.closed}` : 'None closed yet'}
          {original !== null && original !== onTime ? ` · ${original}% against the original due date` : ''}
        </Text>
        <Group gap="md" mt={4}>
          <Figure label="open" value={m.open} hint="Not closed or cancelled yet" />
          <Figure label="overdue" value={m.overdue} color="red.7" hint="Open and past their due date" />
          <Figure label="extended" value={m.extended} color="orange.7" hint="With an approved due-date extension" />
        </Group>
      </Box>
    </Group>
  );
}

/** On-time closure of CAPAs and their actions, against the current and the original due date. */
export function OnTimeCard({ types = ['capa', 'action'] }: { types?: string[] }) {
  const metrics = useQuery({ queryKey: ['metrics', 'on-time'], queryFn: capaEndpoints.onTime, staleTime: 60_000, meta: { silent: true } });
  if (!metrics.isSuccess) return null;
  const shown = types.map((t) => metrics.data.items.find((m) => m.type === t)).filter((m): m is OnTimeMetrics => Boolean(m));
  return (
    <Paper withBorder radius="md" p="sm" mb="md" component="section" aria-label="On-time closure">
      <SimpleGrid cols={{ base: 1, sm: shown.length }} spacing="lg">
        {shown.map((m) => (
          <OnTime key={m.type} m={m} />
        ))}
      </SimpleGrid>
    </Paper>
  );
}
