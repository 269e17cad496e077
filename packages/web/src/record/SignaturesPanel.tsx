import { Badge, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Empty, Loading, QueryError } from '../components/common';
import { endpoints, type Signature } from '../endpoints';
import { formatLocal } from '../format';

export function SignatureCard({ signature }: { signature: Signature }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid="signature" style={{ borderLeft: `4px solid var(--mantine-color-${signature.valid ? 'teal' : 'red'}-6)` }}>
      <Text fw={650} size="sm" data-testid="signature-manifestation" style={{ overflowWrap: 'anywhere' }}>
        {signature.manifestation}
      </Text>
      <Text size="xs" c="dimmed" mt={2}>
        {formatLocal(signature.signedAt, true)} local · record version {signature.recordVersion} · step “{signature.action}”
      </Text>
      <Group gap={6} mt={6}>
        {!signature.valid ? (
          <Badge color="red" variant="filled" style={{ textTransform: 'none' }}>
            Invalid: {signature.invalidReason ?? 'does not verify'}
          </Badge>
        ) : signature.contentChangedSince ? (
          <Tooltip label="Everything this signature covered is unchanged; later steps have added information it does not cover.">
            <Badge color="teal" variant="light" style={{ textTransform: 'none' }}>
              Valid for what was signed (version {signature.recordVersion}); later additions not covered
            </Badge>
          </Tooltip>
        ) : (
          <Badge color="teal" variant="light" style={{ textTransform: 'none' }}>
            Valid for current content
          </Badge>
        )}
        <Tooltip label={`SHA-256 of the signed content: ${signature.contentHash}`}>
          <Text size="xs" c="dimmed" ff="monospace">
            {signature.contentHash.slice(0, 12)}…
          </Text>
        </Tooltip>
      </Group>
    </Paper>
  );
}

/** The electronic signatures of the record, each with its 21 CFR 11.50 manifestation. */
export function SignaturesPanel({ recordId }: { recordId: string }) {
  const signatures = useQuery({ queryKey: ['record', recordId, 'signatures'], queryFn: () => endpoints.signatures(recordId) });
  if (signatures.isPending) return <Loading />;
  if (signatures.isError) return <QueryError error={signatures.error} what="the signatures" />;
  if (!signatures.data.items.length) return <Empty>Not signed yet.</Empty>;
  return (
    <Stack gap="xs">
      {signatures.data.items.map((s) => (
        <SignatureCard key={s.id} signature={s} />
      ))}
    </Stack>
  );
}
