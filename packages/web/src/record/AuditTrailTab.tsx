import { Box, Code, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
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
  return (
    <Text span size="sm" c={text === '—' ? 'dimmed' : undefined} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Text>
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
  const trail = useQuery({ queryKey: ['record', recordId, 'audit-trail'], queryFn: () => endpoints.auditTrail(recordId) });
  const labels = new Map(fields.map((f) => [f.name, f.label]));
  if (trail.isPending) return <Loading />;
  if (trail.isError) return <QueryError error={trail.error} what="the audit trail" />;
  const entries = trail.data.items;
  if (!entries.length) return <Empty>No audit entries.</Empty>;
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing={6} fz="sm" striped aria-label="Audit trail" data-testid="audit-trail">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={60}>#</Table.Th>
            <Table.Th w={190}>When</Table.Th>
            <Table.Th w={150}>Who</Table.Th>
            <Table.Th w={150}>Action</Table.Th>
            <Table.Th miw={280}>Changes (old → new)</Table.Th>
            <Table.Th w={200}>Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.seq} style={{ verticalAlign: 'top' }}>
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
              <Table.Td>
                <Changes entry={entry} labels={labels} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{entry.reason ?? <Text span c="dimmed" size="sm">—</Text>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
