import { Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, Loading, QueryError, StatusBadge } from '../components/common';
import { recordHref } from '../endpoints';
import { humanize } from '../format';
import { recordTypeLabel } from '../record/TraceGraph';
import { linkProps } from '../router';
import { type ChangeDetail, changeEndpoints } from './endpoints';
import { LinkDocumentModal } from './LinkDocumentModal';
import { RiskScore } from './RiskMatrix';


function Heading({ children, count }: { children: string; count?: number }) {
  return (
    <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }} mb={4}>
      {children}
      {count !== undefined ? ` (${count})` : ''}
    </Text>
  );
}

/**
 * What the change touches, for the approvers to see before they sign: the linked documents and who
 * must be trained on them, open CAPAs, the other linked records, and the risk.
 */
export function ImpactView({ change }: { change: ChangeDetail }) {
  const [linking, setLinking] = useState(false);
  const impact = useQuery({ queryKey: ['record', change.id, 'impact'], queryFn: () => changeEndpoints.impact(change.id) });
  const beforeApproval = change.status === 'draft' || change.status === 'in_approval';
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label="Change impact" data-testid="change-impact">
      <Group justify="space-between" wrap="nowrap">
        <Title order={4}>Change impact</Title>
        {change.abilities.link && (
          <Button size="xs" variant="default" onClick={() => setLinking(true)}>
            Link a document…
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {beforeApproval ? 'What the approvers see before they sign: the' : 'The'} linked documents and who must be trained on them, open CAPAs, linked records, risk.
      </Text>
      {impact.isPending ? (
        <Loading />
      ) : impact.isError ? (
        <QueryError error={impact.error} what="the change impact" />
      ) : (
        <Stack gap="md">
          <div>
            <Heading count={impact.data.documents.length}>Documents</Heading>
            {impact.data.documents.length === 0 ? (
              <Text size="sm" c="dimmed">
                No document linked. Link the documents the change revises: their readers are the people to retrain.
              </Text>
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table fz="sm" verticalSpacing={6} aria-label="Documents affected">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Document</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Revision in progress</Table.Th>
                      <Table.Th ta="right">To train</Table.Th>
                      <Table.Th>Distributed to</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {impact.data.documents.map((d) => (
                      <Table.Tr key={d.id}>
                        <Table.Td>
                          <Anchor size="sm" fw={600} {...linkProps(recordHref('document', d.id))}>
                            {d.number}
                          </Anchor>
                          <Text size="xs" c="dimmed" lineClamp={2}>
                            {d.title}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <StatusBadge status={d.status} label={humanize(d.status)} />
                        </Table.Td>
                        <Table.Td>{d.revisionInProgress ?? <Text span size="sm" c="dimmed">None</Text>}</Table.Td>
                        <Table.Td ta="right">
                          <Text span fw={700} size="sm" data-testid="people-to-train">
                            {d.peopleToTrain}
                          </Text>{' '}
                          <Text span size="xs" c="dimmed">
                            {d.peopleToTrain === 1 ? 'person' : 'people'}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          {d.requirements.length ? (
                            <Stack gap={0}>
                              {d.requirements.map((r) => (
                                <Text key={r} size="sm">
                                  {r}
                                </Text>
                              ))}
                            </Stack>
                          ) : (
                            <Text span size="sm" c="dimmed">
                              Nobody
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </div>
          <Group align="flex-start" gap="xl" wrap="wrap">
            <div style={{ flex: '1 1 240px' }}>
              <Heading count={impact.data.openCapas.length}>Open CAPAs</Heading>
              {impact.data.openCapas.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None linked.
                </Text>
              ) : (
                <Stack gap={4}>
                  {impact.data.openCapas.map((c) => (
                    <Group key={c.id} gap={6} wrap="nowrap">
                      <Anchor size="sm" fw={600} {...linkProps(recordHref('capa', c.id))}>
                        {c.number}
                      </Anchor>
                      <Text size="sm" lineClamp={1}>
                        {c.title}
                      </Text>
                      <StatusBadge status={c.status} label={humanize(c.status)} />
                    </Group>
                  ))}
                </Stack>
              )}
            </div>
            <div style={{ flex: '1 1 240px' }}>
              <Heading>Risk</Heading>
              <RiskScore severity={impact.data.risk.severity} probability={impact.data.risk.probability} />
              {impact.data.risk.assessment && (
                <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                  {impact.data.risk.assessment}
                </Text>
              )}
            </div>
          </Group>
          <div>
            <Heading count={impact.data.linked.length}>Linked records</Heading>
            {impact.data.linked.length === 0 ? (
              <Empty>No linked records.</Empty>
            ) : (
              <Stack gap={4}>
                {impact.data.linked.map((r) => (
                  <Group key={r.id} gap={6} wrap="nowrap">
                    <Text size="xs" c="dimmed" w={68} style={{ flexShrink: 0 }}>
                      {recordTypeLabel(r.type)}
                    </Text>
                    <Anchor size="sm" fw={600} {...linkProps(recordHref(r.type, r.id))} style={{ whiteSpace: 'nowrap' }}>
                      {r.number}
                    </Anchor>
                    <Text size="sm" lineClamp={1} style={{ minWidth: 0 }}>
                      {r.title}
                    </Text>
                    <StatusBadge status={r.status} label={humanize(r.status)} />
                  </Group>
                ))}
              </Stack>
            )}
          </div>
        </Stack>
      )}
      {linking && <LinkDocumentModal change={change} onClose={() => setLinking(false)} />}
    </Paper>
  );
}
