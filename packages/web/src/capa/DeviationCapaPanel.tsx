import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { hasPermission } from '../auth';
import { StatusBadge } from '../components/common';
import { type DeviationDetail, endpoints, type Me, recordHref } from '../endpoints';
import { linkProps, withQuery } from '../router';
import { capaStatusOptions } from './labels';

const statusLabel = (status: string) => capaStatusOptions.find((o) => o.value === status)?.label ?? status;

/**
 * The deviation's CAPA: QA's decision, the CAPAs linked to it, and "Open CAPA from this deviation"
 * for those who may open CAPAs. A required CAPA that is not open yet blocks the closure: said here.
 */
export function DeviationCapaPanel({ deviation, me }: { deviation: DeviationDetail; me: Me }) {
  const links = useQuery({ queryKey: ['record', deviation.id, 'links'], queryFn: () => endpoints.links(deviation.id) });
  const capas = (links.data?.items ?? []).map((l) => l.other).filter((o, i, all) => o.type === 'capa' && all.findIndex((x) => x.id === o.id) === i);
  const live = capas.filter((c) => c.status !== 'cancelled');
  const decision = (deviation.data as Record<string, unknown>).capaDecision;
  const canOpen = hasPermission(me, 'capa:create') && deviation.status !== 'cancelled';
  const missing = decision === 'required' && links.isSuccess && live.length === 0;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label="CAPA" data-testid="deviation-capa" style={missing ? { borderColor: 'var(--mantine-color-orange-5)' } : undefined}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={4}>CAPA</Title>
        <Badge variant="light" tt="none" color={decision === 'required' ? 'orange' : decision === 'not_required' ? 'gray' : 'blue'} data-testid="capa-decision">
          {decision === 'required' ? 'CAPA required' : decision === 'not_required' ? 'No CAPA needed' : 'Not decided yet'}
        </Badge>
      </Group>
      <Stack gap="xs">
        {capas.length > 0 ? (
          capas.map((c) => (
            <Group key={c.id} gap="xs" wrap="nowrap" align="flex-start" data-testid="linked-capa">
              <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
                <Anchor {...linkProps(recordHref('capa', c.id))} fw={600} size="sm">
                  {c.number}
                </Anchor>
                <Text size="sm" lineClamp={2}>
                  {c.title}
                </Text>
              </Stack>
              <StatusBadge status={c.status} label={statusLabel(c.status)} />
            </Group>
          ))
        ) : (
          <Text size="sm" c="dimmed">
            {decision === 'not_required' ? 'QA decided that no CAPA is needed.' : 'No CAPA is linked to this deviation.'}
          </Text>
        )}
        {missing && (
          <Alert color="orange" variant="light" p="xs" role="status">
            <Text size="sm">QA decided a CAPA is required: open it from this deviation before the deviation can be closed.</Text>
          </Alert>
        )}
        {canOpen && (
          <Button
            component="a"
            {...linkProps(withQuery('/capas/new', { sourceRecordId: deviation.id }))}
            variant={missing ? 'filled' : 'default'}
            size="xs"
            style={{ alignSelf: 'flex-start' }}
          >
            Open CAPA from this deviation
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
