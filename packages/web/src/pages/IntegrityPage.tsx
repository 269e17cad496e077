import { Alert, Button, Code, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { endpoints } from '../endpoints';
import { formatLocal, formatUtc } from '../format';

/** Verify the audit trail's hash chain and signed checkpoints on demand (Annex 11 §9, Part 11 §11.10(e)). */
export function IntegrityPage() {
  const verify = useMutation({ mutationFn: endpoints.verifyAuditTrail });
  const result = verify.data;
  return (
    <>
      <Title order={2}>Audit-trail integrity</Title>
      <Text size="sm" c="dimmed" mb="md" maw={760}>
        Re-computes the hash chain of every audit entry, checks the signed checkpoints, and compares each record's stored content and signatures with
        what was signed. Any alteration, deletion or insertion made outside Verity is reported here.
      </Text>
      <Paper withBorder p="md" radius="md">
        <Group>
          <Button onClick={() => verify.mutate()} loading={verify.isPending}>
            Verify audit trail now
          </Button>
          {verify.submittedAt > 0 && !verify.isPending && (
            <Text size="sm" c="dimmed" title={formatUtc(new Date(verify.submittedAt).toISOString())}>
              Checked {formatLocal(new Date(verify.submittedAt).toISOString(), true)}
            </Text>
          )}
        </Group>
        {result?.ok && (
          <Alert color="teal" mt="md" title="Audit trail intact" data-testid="integrity-ok">
            Audit trail intact: {result.entriesChecked} entries, {result.checkpointsChecked} checkpoints verified in {Math.round(result.durationMs)} ms
            <Text size="sm" c="dimmed">
              {result.entitiesChecked} entities and {result.recordsChecked} records checked.
            </Text>
          </Alert>
        )}
        {result && !result.ok && (
          <Alert color="red" mt="md" title={`Integrity problems found: ${result.problems.length}`} data-testid="integrity-problems">
            <Text size="sm" mb="xs">
              {result.entriesChecked} entries and {result.checkpointsChecked} checkpoints checked in {Math.round(result.durationMs)} ms. Secure the
              database and investigate each problem below.
            </Text>
            <Table fz="sm" withTableBorder bg="white">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Entity</Table.Th>
                  <Table.Th>Seq</Table.Th>
                  <Table.Th>Detail</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.problems.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id
                  <Table.Tr key={i}>
                    <Table.Td>
                      <Code>{p.kind}</Code>
                    </Table.Td>
                    <Table.Td ff="monospace">{p.entityId ?? '—'}</Table.Td>
                    <Table.Td>{p.seq ?? p.entitySeq ?? '—'}</Table.Td>
                    <Table.Td>{p.detail}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Alert>
        )}
      </Paper>
    </>
  );
}

