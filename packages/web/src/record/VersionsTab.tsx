import { Accordion, Badge, Group, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Empty, Loading, QueryError } from '../components/common';
import { endpoints } from '../endpoints';
import { displayValue, formatLocal, formatUtc, humanize } from '../format';
import type { FieldDef } from './fields';

/** Every saved version of the record's content, newest first, with its hash chain. */
export function VersionsTab({ recordId, fields }: { recordId: string; fields: FieldDef[] }) {
  const versions = useQuery({ queryKey: ['record', recordId, 'versions'], queryFn: () => endpoints.versions(recordId) });
  const labels = new Map(fields.map((f) => [f.name, f.label]));
  if (versions.isPending) return <Loading />;
  if (versions.isError) return <QueryError error={versions.error} what="the versions" />;
  const items = [...versions.data.items].sort((a, b) => b.version - a.version);
  if (!items.length) return <Empty>No versions.</Empty>;
  return (
    <Accordion variant="separated" chevronPosition="left">
      {items.map((v) => (
        <Accordion.Item key={v.version} value={String(v.version)}>
          <Accordion.Control>
            <Group gap="sm" wrap="wrap">
              <Badge variant="outline" color="gray">
                v{v.version}
              </Badge>
              <Text size="sm">{humanize(v.status)}</Text>
              <Text size="sm" c="dimmed">
                {v.changedByName} · <span title={formatUtc(v.changedAt)}>{formatLocal(v.changedAt)}</span>
              </Text>
              <Text size="xs" c="dimmed" ff="monospace" title={v.contentHash}>
                {v.contentHash.slice(0, 12)}…
              </Text>
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            <Table fz="sm" verticalSpacing={4} withRowBorders>
              <Table.Tbody>
                {Object.entries(v.content).map(([key, value]) => (
                  <Table.Tr key={key} style={{ verticalAlign: 'top' }}>
                    <Table.Td w={220} fw={600}>
                      {labels.get(key) ?? humanize(key)}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{displayValue(value)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed" mt="xs" ff="monospace">
              content hash {v.contentHash}
              <br />
              previous {v.prevHash ?? '—'}
            </Text>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
