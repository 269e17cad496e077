import { Alert, Box, Button, Group, List, Paper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Loading, QueryError } from '../components/common';
import { displayValue, humanize } from '../format';
import { methodLabel } from './labels';
import { training } from './endpoints';

type Line = { kind: 'added' | 'removed' | 'unchanged'; text: string } | { kind: 'skipped'; count: number };

const CONTEXT = 2;
/** Field changes a trainee needs; reviewers and the quiz (which must not reveal answers) are left out. */
const shownFields = new Set(['title', 'changeSummary', 'trainingMethod', 'trainingImpact', 'changedSections']);

/** The diff as lines, long unchanged stretches folded to a few lines of context around each change. */
function diffLines(parts: { kind: 'added' | 'removed' | 'unchanged'; text: string }[], folded: boolean): Line[] {
  const lines: Line[] = [];
  parts.forEach((part, index) => {
    const texts = part.text.replace(/\n$/, '').split('\n');
    if (part.kind !== 'unchanged' || !folded || texts.length <= CONTEXT * 2 + 1) {
      for (const text of texts) lines.push({ kind: part.kind, text });
      return;
    }
    const head = index === 0 ? 0 : CONTEXT;
    const tail = index === parts.length - 1 ? 0 : CONTEXT;
    for (const text of texts.slice(0, head)) lines.push({ kind: 'unchanged', text });
    lines.push({ kind: 'skipped', count: texts.length - head - tail });
    for (const text of texts.slice(texts.length - tail)) lines.push({ kind: 'unchanged', text });
  });
  return lines;
}

const lineStyle = {
  added: { background: 'var(--mantine-color-green-1)', borderLeft: '3px solid var(--mantine-color-green-6)' },
  removed: { background: 'var(--mantine-color-red-1)', borderLeft: '3px solid var(--mantine-color-red-6)', color: 'var(--mantine-color-red-9)' },
  unchanged: { borderLeft: '3px solid transparent' },
} as const;
const marks = { added: '+', removed: '−', unchanged: ' ' } as const;

const impactLabels: Record<string, string> = { retrain_all: 'Everyone retrains', changed_sections: 'Training on the changed sections', none: 'No retraining' };

/** A changed field's value in words: lists joined, codes named. */
function fieldText(field: string, value: unknown): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return '—';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (field === 'trainingImpact') return impactLabels[String(value)] ?? String(value);
  if (field === 'trainingMethod') return methodLabel(String(value));
  return displayValue(value);
}

/** What changed in the text between two revisions of a document, as a line diff. */
export function DiffView({ documentId, from, to }: { documentId: string; from: string; to: string }) {
  const [folded, setFolded] = useState(true);
  const diff = useQuery({ queryKey: ['document', documentId, 'diff', from, to], queryFn: () => training.diff(documentId, from, to), staleTime: Number.POSITIVE_INFINITY });
  if (diff.isPending) return <Loading label="Comparing the revisions…" />;
  if (diff.isError) return <QueryError error={diff.error} what="the changes" />;
  const { parts, fieldChanges, originalChanged } = diff.data;
  const changedText = parts.some((p) => p.kind !== 'unchanged');
  const lines = diffLines(parts, folded);
  const otherChanges = fieldChanges.filter((c) => shownFields.has(c.field));
  return (
    <Paper withBorder radius="md" p="sm" data-testid="revision-diff">
      <Group justify="space-between" mb="xs">
        <Text fw={650} size="sm">
          From v{diff.data.from.versionLabel} to v{diff.data.to.versionLabel}
        </Text>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            <Box component="span" px={4} style={lineStyle.added}>
              + added
            </Box>{' '}
            <Box component="span" px={4} style={lineStyle.removed}>
              − removed
            </Box>
          </Text>
          {changedText && (
            <Button size="compact-xs" variant="subtle" onClick={() => setFolded(!folded)}>
              {folded ? 'Show the whole text' : 'Show changes only'}
            </Button>
          )}
        </Group>
      </Group>
      {originalChanged && (
        <Alert color="blue" variant="light" p="xs" mb="xs">
          The original file changed: download both versions to compare them.
        </Alert>
      )}
      {changedText ? (
        <Box fz="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', lineHeight: 1.55 }} role="list" aria-label="Changed lines">
          {lines.map((line, i) =>
            line.kind === 'skipped' ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
              <Text key={i} size="xs" c="dimmed" py={2} pl="md" role="listitem">
                ⋯ {line.count} unchanged line{line.count === 1 ? '' : 's'}
              </Text>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
              <Box key={i} px={6} style={lineStyle[line.kind]} role="listitem" aria-label={line.kind === 'unchanged' ? undefined : `${line.kind}: ${line.text}`}>
                <Text span ff="monospace" c="dimmed" mr={6} aria-hidden>
                  {marks[line.kind]}
                </Text>
                {line.text || ' '}
              </Box>
            ),
          )}
        </Box>
      ) : (
        <Text size="sm" c="dimmed">
          The text did not change.
        </Text>
      )}
      {otherChanges.length > 0 && (
        <>
          <Text size="sm" fw={600} mt="sm">
            Other changes
          </Text>
          <List size="sm">
            {otherChanges.map((c) => (
              <List.Item key={c.field}>
                <strong>{humanize(c.field)}</strong>: {fieldText(c.field, c.old)} → {fieldText(c.field, c.new)}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Paper>
  );
}
