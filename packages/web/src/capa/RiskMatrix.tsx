import { Badge, Box, Group, Input, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { occurrenceLabels, type Priority, priorityColors, priorityLabels, priorityOf, severityLabels } from './labels';

const scores = [1, 2, 3, 4, 5];
const cellShade: Record<Priority, string> = { low: 'green', medium: 'yellow', high: 'orange', critical: 'red' };

export function PriorityBadge({ priority, score, size = 'md' }: { priority: Priority | null | undefined; score?: number | null; size?: 'sm' | 'md' | 'lg' }) {
  if (!priority) {
    return (
      <Badge color="gray" variant="outline" tt="none" size={size}>
        Risk not assessed
      </Badge>
    );
  }
  return (
    <Badge color={priorityColors[priority]} variant="filled" tt="none" size={size} data-testid="capa-priority">
      {priorityLabels[priority]} priority{score ? ` · risk ${score}` : ''}
    </Badge>
  );
}

/**
 * The 5 x 5 risk matrix: severity (rows, worst on top) by occurrence (columns), each cell coloured
 * by the priority its score gives. Read-only shows the chosen cell; with `onChange` every cell is
 * a button (keyboard and screen readers included) that sets both scores.
 */
export function RiskMatrix({
  severity,
  occurrence,
  onChange,
  label,
  error,
  compact = false,
  required = false,
}: {
  severity: number | null;
  occurrence: number | null;
  onChange?: (severity: number, occurrence: number) => void;
  label?: string;
  error?: string;
  compact?: boolean;
  required?: boolean;
}) {
  const cell = compact ? 26 : 40;
  const priority = priorityOf(severity, occurrence);
  const grid = (
    <Box>
      <Group gap="md" align="flex-start" wrap="wrap">
        <Box role="group" aria-label="Risk matrix: severity by occurrence" style={{ display: 'grid', gridTemplateColumns: `auto repeat(5, ${cell}px)`, gap: 3, alignItems: 'center' }}>
          <Text size="xs" c="dimmed" fw={600} style={{ gridColumn: '1 / -1', textAlign: 'right' }} pr={2}>
            Occurrence →
          </Text>
          {[...scores].reverse().map((s) => (
            <Row key={s} s={s} cell={cell} compact={compact} severity={severity} occurrence={occurrence} onChange={onChange} />
          ))}
          <Text size="xs" c="dimmed" ta="right" pr={6}>
            {compact ? '' : 'Severity ↑'}
          </Text>
          {scores.map((o) => (
            <Tooltip key={o} label={`Occurrence ${o}: ${occurrenceLabels[o - 1]}`} openDelay={200}>
              <Text size="xs" c="dimmed" ta="center" fw={occurrence === o ? 700 : 400}>
                {o}
              </Text>
            </Tooltip>
          ))}
        </Box>
        {!compact && (
          <Box style={{ minWidth: 180 }} aria-live="polite">
            <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.3 }}>
              Result
            </Text>
            <Box mt={4}>
              <PriorityBadge priority={priority} score={severity && occurrence ? severity * occurrence : null} size="lg" />
            </Box>
            <Text size="sm" mt={6}>
              Severity: {severity ? `${severity} — ${severityLabels[severity - 1]}` : '—'}
            </Text>
            <Text size="sm">Occurrence: {occurrence ? `${occurrence} — ${occurrenceLabels[occurrence - 1]}` : '—'}</Text>
            <Text size="xs" c="dimmed" mt={6}>
              Score = severity × occurrence. Low 1–5, medium 6–11, high 12–19, critical 20–25.
            </Text>
          </Box>
        )}
      </Group>
    </Box>
  );
  if (!label) return grid;
  return (
    <Input.Wrapper label={label} required={required} error={error} description={onChange ? 'Click the cell for the severity (row) and occurrence (column)' : undefined}>
      <Box mt={6}>{grid}</Box>
    </Input.Wrapper>
  );
}

function Row({
  s,
  cell,
  compact,
  severity,
  occurrence,
  onChange,
}: {
  s: number;
  cell: number;
  compact: boolean;
  severity: number | null;
  occurrence: number | null;
  onChange?: (severity: number, occurrence: number) => void;
}) {
  return (
    <>
      <Tooltip label={`Severity ${s}: ${severityLabels[s - 1]}`} openDelay={200} position="left">
        <Text size="xs" c="dimmed" ta="right" pr={6} fw={severity === s ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>
          {compact ? s : `${s} ${severityLabels[s - 1]}`}
        </Text>
      </Tooltip>
      {scores.map((o) => {
        const p = priorityOf(s, o) as Priority;
        const chosen = severity === s && occurrence === o;
        const style = {
          width: cell,
          height: compact ? 20 : 30,
          borderRadius: 4,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          fontSize: compact ? 10 : 12,
          fontWeight: chosen ? 800 : 500,
          background: `var(--mantine-color-${cellShade[p]}-${chosen ? 6 : 1})`,
          color: chosen ? 'white' : `var(--mantine-color-${cellShade[p]}-9)`,
          outline: chosen ? '2px solid var(--mantine-color-dark-7)' : undefined,
          outlineOffset: 1,
        } as const;
        const name = `Severity ${s} (${severityLabels[s - 1]}), occurrence ${o} (${occurrenceLabels[o - 1]}): score ${s * o}, ${priorityLabels[p].toLowerCase()}`;
        if (!onChange) {
          return (
            <Box key={o} title={name} aria-hidden={!chosen} style={style}>
              {chosen || !compact ? s * o : ''}
            </Box>
          );
        }
        return (
          <UnstyledButton key={o} aria-label={name} aria-pressed={chosen} onClick={() => onChange(s, o)} style={style} data-risk={`${s}x${o}`}>
            {s * o}
          </UnstyledButton>
        );
      })}
    </>
  );
}
