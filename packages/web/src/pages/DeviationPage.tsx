import { useQuery } from '@tanstack/react-query';
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
  return <RecordPage record={deviation.data} config={deviationConfig} me={me} onReload={() => void deviation.refetch()} backHref="/deviations" />;
}
