import { Alert, Box, Group, Paper, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, Loading, QueryError } from '../components/common';
import { displayValue, formatLocal, humanize } from '../format';
import { type DocumentDetail, documentEndpoints, type RevisionDiff as Diff } from './endpoints';
import { revisionFields, trainingImpactLabels, trainingMethodLabels } from './labels';

const labels = new Map(revisionFields.map((f) => [f.name, f.label]));

/** A compared field's value as people read it: labels instead of codes, local times instead of ISO. */
function readable(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'trainingImpact') return trainingImpactLabels[value as keyof typeof trainingImpactLabels] ?? String(value);
  if (field === 'trainingMethod') return trainingMethodLabels[value as keyof typeof trainingMethodLabels] ?? String(value);
  if (field === 'effectiveAt' && typeof value === 'string') return formatLocal(value);
  if (field === 'quiz' && typeof value === 'object') {
    const quiz = value as { questions?: unknown[]; passMarkPercent?: number };
    return `${quiz.questions?.length ?? 0} question(s), pass mark ${quiz.passMarkPercent ?? '?'}%`;
  }
  if (field === 'reviewerIds' && Array.isArray(value)) return `${value.length} reviewer(s)`;
  if (Array.isArray(value)) return value.map(String).join('\n') || '—';
  return displayValue(value);
}

const partStyles = {
  added: { background: 'var(--mantine-color-green-0)', borderLeft: '3px solid var(--mantine-color-green-6)', color: 'var(--mantine-color-green-9)' },
  removed: { background: 'var(--mantine-color-red-0)', borderLeft: '3px solid var(--mantine-color-red-6)', color: 'var(--mantine-color-red-9)', textDecoration: 'line-through' },
  unchanged: { borderLeft: '3px solid transparent', color: 'var(--mantine-color-gray-7)' },
} as const;
const marks = { added: '+', removed: '−', unchanged: ' ' } as const;

/** The line diff of the text, one line per row, added green and removed red (with +/− for those who cannot see colour). */
function TextDiff({ diff }: { diff: Diff }) {
  const lines = diff.parts.flatMap((part, pi) =>
    part.text
      .replace(/\n$/, '')
      .split('\n')
      .map((text, li) => ({ key: `${pi}:${li}`, kind: part.kind, text })),
  );
  if (!diff.parts.some((p) => p.kind !== 'unchanged')) return <Empty>The text is the same in both revisions.</Empty>;
  return (
    <Paper withBorder radius="sm" bg="white" style={{ overflowX: 'auto' }} data-testid="diff-text">
      {lines.map((line) => (
        <Box
          key={line.key}
          data-kind={line.kind}
          px="xs"
          ff="monospace"
          fz={12.5}
          style={{ ...partStyles[line.kind], whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', lineHeight: 1.55, minHeight: '1.55em' }}
        >
          <Text span inherit c="dimmed" mr={8} aria-hidden style={{ textDecoration: 'none', display: 'inline-block', width: '1ch' }}>
            {marks[line.kind]}
          </Text>
          {line.kind !== 'unchanged' && <VisuallyHidden>{line.kind === 'added' ? 'Added: ' : 'Removed: '}</VisuallyHidden>}
          {line.text}
        </Box>
      ))}
    </Paper>
  );
}

/** Pick two revisions of the document and see what changed between them: text lines and other fields. */
export function RevisionDiffPanel({ document }: { document: DocumentDetail }) {
  const revisions = document.revisions;
  // Default: the newest revision against the one before it.
  const [to, setTo] = useState<string | null>(revisions[0]?.id ?? null);
  const [from, setFrom] = useState<string | null>(revisions[1]?.id ?? null);
  const options = revisions.map((r) => ({ value: r.id, label: `${r.versionLabel} — ${r.statusLabel}` }));
  const ready = Boolean(from && to && from !== to);
  const diff = useQuery({
    queryKey: ['record', document.id, 'diff', from, to],
    queryFn: () => documentEndpoints.diff(document.id, from as string, to as string),
    enabled: ready,
  });
  if (revisions.length < 2) return <Empty>Only one revision so far: there is nothing to compare.</Empty>;
  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end">
        <Select label="From revision" data={options} value={from} onChange={setFrom} allowDeselect={false} w={240} />
        <Select label="To revision" data={options} value={to} onChange={setTo} allowDeselect={false} w={240} />
      </Group>
      {!ready ? (
        <Text size="sm" c="dimmed">
          Choose two different revisions.
        </Text>
      ) : diff.isPending ? (
        <Loading />
      ) : diff.isError ? (
        <QueryError error={diff.error} what="the comparison" />
      ) : (
        <Stack gap="sm">
          {diff.data.originalChanged && (
            <Alert color="blue" variant="light" p="xs">
              <Text size="sm">The original file differs between the two revisions: compare the files themselves.</Text>
            </Alert>
          )}
          {diff.data.fieldChanges.length > 0 && (
            <Table fz="sm" verticalSpacing={4} withTableBorder aria-label="Changed fields">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={180}>Field</Table.Th>
                  <Table.Th>{diff.data.from.versionLabel}</Table.Th>
                  <Table.Th>{diff.data.to.versionLabel}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {diff.data.fieldChanges.map((c) => (
                  <Table.Tr key={c.field} style={{ verticalAlign: 'top' }}>
                    <Table.Td fw={600}>{labels.get(c.field) ?? humanize(c.field)}</Table.Td>
                    <Table.Td c="red.8" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {readable(c.field, c.old)}
                    </Table.Td>
                    <Table.Td c="green.8" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {readable(c.field, c.new)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <TextDiff diff={diff.data} />
        </Stack>
      )}
    </Stack>
  );
}
