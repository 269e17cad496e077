import { Button, Group, Text, Title } from '@mantine/core';
import { hasPermission } from '../auth';
import { changeEndpoints } from '../changes/endpoints';
import { changeStatusOptions } from '../changes/labels';
import { RecordTable } from '../components/RecordTable';
import { type Me, recordHref } from '../endpoints';
import { linkProps } from '../router';

export function ChangesPage({ me }: { me: Me }) {
  return (
    <>
      <Group justify="space-between" mb="md" align="flex-end">
        <div>
          <Title order={2}>Change control</Title>
          <Text size="sm" c="dimmed">
            Planned changes: impact assessment by area, approval, implementation, verification.
          </Text>
        </div>
        {hasPermission(me, 'change:create') && (
          <Button component="a" {...linkProps('/changes/new')}>
            Request a change
          </Button>
        )}
      </Group>
      <RecordTable cacheKey="changes" fetchPage={changeEndpoints.list} statuses={changeStatusOptions} hrefFor={(r) => recordHref('change', r.id)} noun="changes" />
    </>
  );
}
