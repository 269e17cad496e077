import { type actionDetail, type ChangeArea, changeDetail, changeImpact, page, recordSummary } from '@verity/contracts';
import type { z } from 'zod';
import { api } from '../api';
import type { ListParams, Page, RecordSummary, TransitionInput } from '../endpoints';
import { withQuery } from '../router';

/**
 * The typed client of change control: one function per endpoint, typed by the shared contracts.
 * Kept beside the change pages (the core client in ../endpoints.ts stays small).
 */

export type ChangeDetail = z.infer<typeof changeDetail>;
export type ChangeImpact = z.infer<typeof changeImpact>;
export type ChangeApproval = ChangeDetail['approvals'][number];
export type ChangeTask = ChangeDetail['actions'][number];
export type ActionDetail = z.infer<typeof actionDetail>;
export type ImpactEntry = { impacted: boolean; assessment: string | null };

export interface NewChange {
  title: string;
  siteCode: string;
  reason: string;
  scope: string;
  changeType: 'permanent' | 'temporary';
  sourceRecordId?: string;
  dueDate?: string;
}

/** PATCH body: `reason` is the reason for the edit (audit trail); the change's own reason is `changeReason`. */
export interface ChangeEdit {
  version: number;
  reason: string;
  title?: string;
  changeReason?: string;
  scope?: string;
  impacts?: Partial<Record<ChangeArea, { impacted: boolean; assessment: string | null }>>;
  riskSeverity?: number;
  riskProbability?: number;
  approvers?: Partial<Record<ChangeArea, string>>;
  verificationSummary?: string;
  closureSummary?: string;
}

export interface NewTask {
  title: string;
  description: string;
  ownerId: string;
  dueDate: string;
}

const change = (id: string) => `/api/v1/changes/${encodeURIComponent(id)}`;

export const changeEndpoints = {
  list: (params: ListParams) => api.get<Page<RecordSummary>>(withQuery('/api/v1/changes', { ...params }), { schema: page(recordSummary) }),
  create: (body: NewChange) => api.post<ChangeDetail>('/api/v1/changes', body, { schema: changeDetail }),
  get: (id: string) => api.get<ChangeDetail>(change(id), { schema: changeDetail }),
  update: (id: string, body: ChangeEdit) => api.patch<ChangeDetail>(change(id), body, { schema: changeDetail }),
  transition: (id: string, body: TransitionInput) => api.post<ChangeDetail>(`${change(id)}/transitions`, body, { schema: changeDetail }),
  addTask: (id: string, body: NewTask) => api.post<ActionDetail>(`${change(id)}/actions`, { kind: 'change_task', ...body }),
  impact: (id: string) => api.get<ChangeImpact>(`${change(id)}/impact`, { schema: changeImpact }),
};
