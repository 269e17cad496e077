import { Button, Group, Text, Title } from '@mantine/core';
import { hasPermission, useMe } from '../auth';
import { capaEndpoints } from '../capa/endpoints';
import { capaStatusOptions } from '../capa/labels';
import { OnTimeCard } from '../capa/OnTimeCard';
import { RecordTable } from '../components/RecordTable';
import { recordHref } from '../endpoints';
import { linkProps } from '../router';

export function CapasPage() {
  const me = useMe().data;
  return (
    <>
      <Group justify="space-between" mb="md" align="flex-end" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={2}>CAPA</Title>
          <Text size="sm" c="dimmed">
            Corrective and preventive actions: root cause, an approved plan, an independent effectiveness check, closure.
          </Text>
        </div>
        {hasPermission(me, 'capa:create') && (
          <Button component="a" {...linkProps('/capas/new')} style={{ flexShrink: 0 }}>
            New CAPA
          </Button>
        )}
      </Group>
      {(hasPermission(me, 'capa:read') || hasPermission(me, 'audit:read')) && <OnTimeCard />}
      <RecordTable cacheKey="capas" fetchPage={capaEndpoints.listCapas} statuses={capaStatusOptions} hrefFor={(r) => recordHref(r.type || 'capa', r.id)} noun="CAPAs" />
    </>
  );
}
