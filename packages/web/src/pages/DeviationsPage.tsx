import { Button, Group, Text, Title } from '@mantine/core';
import { RecordTable } from '../components/RecordTable';
import { endpoints, recordHref } from '../endpoints';
import { deviationStatusOptions } from '../record/fields';
import { linkProps } from '../router';

export function DeviationsPage() {
  return (
    <>
      <Group justify="space-between" mb="md" align="flex-end">
        <div>
          <Title order={2}>Deviations</Title>
          <Text size="sm" c="dimmed">
            Unplanned departures from approved procedures, specifications or GMP: capture, triage, investigation, QA approval, closure.
          </Text>
        </div>
        <Button component="a" {...linkProps('/deviations/new')}>
          Report deviation
        </Button>
      </Group>
      <RecordTable
        cacheKey="deviations"
        fetchPage={endpoints.listDeviations}
        statuses={deviationStatusOptions}
        hrefFor={(r) => recordHref(r.type || 'deviation', r.id)}
        noun="deviations"
      />
    </>
  );
}
