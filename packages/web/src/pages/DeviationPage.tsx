import { Paper, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { hasPermission } from '../auth';
import { DeviationCapaPanel } from '../capa/DeviationCapaPanel';
import { ExtensionsPanel } from '../capa/ExtensionsPanel';
import { Loading, QueryError } from '../components/common';
import { type DeviationDetail, endpoints, type Me } from '../endpoints';
import { deviationFields } from '../record/fields';
import { RecordPage } from '../record/RecordPage';
import type { RecordTypeConfig } from '../record/types';

const deviationConfig: RecordTypeConfig<DeviationDetail> = {
  listKey: 'deviations',
  noun: 'Deviations',
  fields: deviationFields,
  update: endpoints.updateDeviation,
  transition: endpoints.transitionDeviation,
};

export function DeviationPage({ id, me }: { id: string; me: Me }) {
  const deviation = useQuery({ queryKey: ['record', id], queryFn: () => endpoints.getDeviation(id) });
  if (deviation.isPending) return <Loading label="Loading the deviation…" />;
  if (deviation.isError) return <QueryError error={deviation.error} what="this deviation" />;
  return (
    <RecordPage
      record={deviation.data}
      config={deviationConfig}
      me={me}
      onReload={() => void deviation.refetch()}
      backHref="/deviations"
      aside={
        <>
          <DeviationCapaPanel deviation={deviation.data} me={me} />
          <Paper component="section" withBorder p="md" radius="md" aria-label="Due date">
            <Title order={4} mb="sm">
              Due-date extensions
            </Title>
            <ExtensionsPanel
              record={deviation.data}
              canRequest={deviation.data.ownerId === me.id || hasPermission(me, 'deviation:update')}
              me={me}
              closed={['closed', 'cancelled'].includes(deviation.data.status)}
            />
          </Paper>
        </>
      }
    />
  );
}
