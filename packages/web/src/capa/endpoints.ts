import { actionDetail, capaDetail, extension, onTimeMetrics, page, recordSummary } from '@verity/contracts';
import { z } from 'zod';
import { api } from '../api';
import type { ListParams, Page, RecordSummary, TransitionInput } from '../endpoints';
import { withQuery } from '../router';

/**
 * The typed client of CAPA, actions, due-date extensions and the on-time metrics: one function per
 * endpoint, typed by the shared contracts. Kept beside the pages that use it.
 */

export type CapaDetail = z.infer<typeof capaDetail>;
export type ActionDetail = z.infer<typeof actionDetail>;
export type ActionSummary = CapaDetail['actions'][number];
export type Extension = z.infer<typeof extension>;
export type OnTimeMetrics = z.infer<typeof onTimeMetrics>;

export interface CreateCapaInput {
  title: string;
  siteCode: string;
  sourceType: string;
  sourceRecordId?: string;
  problemStatement: string;
  riskSeverity?: number;
  riskOccurrence?: number;
  dueDate?: string;
}

export interface CreateActionInput {
  kind: 'corrective' | 'preventive';
  title: string;
  description: string;
  ownerId: string;
  dueDate: string;
  requiresChange: boolean;
  requiresDocumentRevision: boolean;
}

export interface ExtensionDecision {
  approve: boolean;
  reason?: string;
  signature?: { username?: string; password: string; meaning: 'approval'; totp?: string; acceptStatement?: boolean };
}

const capa = (id: string) => `/api/v1/capas/${encodeURIComponent(id)}`;
const action = (id: string) => `/api/v1/actions/${encodeURIComponent(id)}`;
const rec = (id: string) => `/api/v1/records/${encodeURIComponent(id)}`;
const items = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });
type Items<T> = { items: T[] };

export const capaEndpoints = {
  listCapas: (params: ListParams) => api.get<Page<RecordSummary>>(withQuery('/api/v1/capas', { ...params }), { schema: page(recordSummary) }),
  getCapa: (id: string) => api.get<CapaDetail>(capa(id), { schema: capaDetail }),
  createCapa: (body: CreateCapaInput) => api.post<CapaDetail>('/api/v1/capas', body, { schema: capaDetail }),
  updateCapa: (id: string, body: Record<string, unknown>) => api.patch<CapaDetail>(capa(id), body, { schema: capaDetail }),
  transitionCapa: (id: string, body: TransitionInput) => api.post<CapaDetail>(`${capa(id)}/transitions`, body, { schema: capaDetail }),
  addAction: (id: string, body: CreateActionInput) => api.post<ActionDetail>(`${capa(id)}/actions`, body, { schema: actionDetail }),

  getAction: (id: string) => api.get<ActionDetail>(action(id), { schema: actionDetail }),
  transitionAction: (id: string, body: TransitionInput) => api.post<ActionDetail>(`${action(id)}/transitions`, body, { schema: actionDetail }),

  extensions: (recordId: string) => api.get<Items<Extension>>(`${rec(recordId)}/extensions`, { schema: items(extension) }),
  requestExtension: (recordId: string, body: { requestedDueDate: string; justification: string }) =>
    api.post<Items<Extension>>(`${rec(recordId)}/extensions`, body, { schema: items(extension) }),
  decideExtension: (recordId: string, extensionId: string, body: ExtensionDecision) =>
    api.post<Items<Extension>>(`${rec(recordId)}/extensions/${encodeURIComponent(extensionId)}/decision`, body, { schema: items(extension) }),

  onTime: () => api.get<Items<OnTimeMetrics>>('/api/v1/metrics/on-time', { schema: items(onTimeMetrics) }),
};
