import { Box, Code, Spoiler, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { Empty, Loading, QueryError } from '../components/common';
import { endpoints, type AuditEntry } from '../endpoints';
import { displayValue, formatLocal, formatUtc, humanize } from '../format';
import type { FieldDef } from './fields';

/** "deviation.transitioned" → "Deviation transitioned" */
function actionLabel(action: string): string {
  return humanize(action.replace(/\./g, ' '));
}

function Value({ value }: { value: unknown }) {
  const text = displayValue(value);
  const shown = (
    <Text span size="sm" c={text === '—' ? 'dimmed' : undefined} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Text>
  );
  // Long texts (a document's body) are folded so that one entry does not fill the screen.
  if (text.length <= 400) return shown;
  return (
    <Spoiler maxHeight={72} showLabel="Show all" hideLabel="Show less" fz="sm" styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}>
      {shown}
    </Spoiler>
  );
}

function Changes({ entry, labels }: { entry: AuditEntry; labels: Map<string, string> }) {
  if (!entry.changes.length) return <Text span c="dimmed" size="sm">—</Text>;
  return (
    <Box component="ul" m={0} pl={16}>
      {entry.changes.map((change) => (
        <li key={change.field} data-testid="audit-change">
          <Text span size="sm" fw={600}>
            {labels.get(change.field) ?? humanize(change.field)}:
          </Text>{' '}
          <Value value={change.old} /> <Text span c="dimmed">→</Text> <Value value={change.new} />
        </li>
      ))}
    </Box>
  );
}

/** The record's audit trail: who did what, when (local and UTC), why, with old and new values. */
export function AuditTrailTab({ recordId, fields }: { recordId: string; fields: FieldDef[] }) {
  const wide = useMediaQuery('(min-width: 75em)', true, { getInitialValueInEffect: false });
  const trail = useQuery({ queryKey: ['record', recordId, 'audit-trail'], queryFn: () => endpoints.auditTrail(recordId) });
  const labels = new Map(fields.map((f) => [f.name, f.label]));
  if (trail.isPending) return <Loading />;
  if (trail.isError) return <QueryError error={trail.error} what="the audit trail" />;
  const entries = trail.data.items;
  if (!entries.length) return <Empty>No audit entries.</Empty>;
  return (
    <Table.ScrollContainer minWidth={wide ? 900 : 520}>
      <Table verticalSpacing={6} fz="sm" striped={wide} aria-label="Audit trail" data-testid="audit-trail">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={50}>#</Table.Th>
            <Table.Th w={185}>When</Table.Th>
            <Table.Th w={wide ? 140 : undefined}>Who</Table.Th>
            <Table.Th w={wide ? 140 : undefined}>Action</Table.Th>
            {wide && <Table.Th miw={260}>Changes (old → new)</Table.Th>}
            {wide && <Table.Th w={180}>Reason</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Fragment key={entry.seq}>
              <Table.Tr style={{ verticalAlign: 'top', borderBottom: wide ? undefined : 'none' }}>
              <Table.Td>
                <Text size="sm" c="dimmed" title={`Global sequence ${entry.seq}; hash ${entry.hash}`}>
                  {entry.entitySeq}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatLocal(entry.at, true)}
                </Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatUtc(entry.at)}
                </Text>
              </Table.Td>
              <Table.Td>{entry.actorName}</Table.Td>
              <Table.Td>
                <Text size="sm">{actionLabel(entry.action)}</Text>
                <Code fz={10} c="dimmed" bg="transparent" p={0}>
                  {entry.action}
                </Code>
              </Table.Td>
              {wide && (
                <Table.Td>
                  <Changes entry={entry} labels={labels} />
                </Table.Td>
              )}
              {wide && <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{entry.reason ?? <Text span c="dimmed" size="sm">—</Text>}</Table.Td>}
            </Table.Tr>
              {!wide && (
                // Narrow screens: the changes and the reason get the full width under their entry.
                <Table.Tr style={{ verticalAlign: 'top' }}>
                  <Table.Td />
                  <Table.Td colSpan={3} pt={0}>
                    <Changes entry={entry} labels={labels} />
                    {entry.reason && (
                      <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                        <Text span fw={600} size="sm">
                          Reason:{' '}
                        </Text>
                        {entry.reason}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
