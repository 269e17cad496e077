import {
  type Abilities,
  type AuditEntry,
  type DeviationDetail,
  type Me,
  type RecordSummary,
  type Signature,
  type Task,
  type TransitionAbility,
  type UserSummary,
  type VerifyResult,
  attachment,
  auditEntry,
  comment,
  deviationDetail,
  identityVerification,
  type identityVerificationRequest,
  link,
  me,
  notification,
  page,
  person,
  recordSummary,
  searchHit,
  signature,
  signatureStatementSchema,
  site,
  task,
  temporaryPassword,
  apiTokenCreated,
  totpEnrolment,
  trace,
  userSummary,
  verifyResult,
  versionSnapshot,
} from '@verity/contracts';
import { z } from 'zod';
import { api } from './api';
import { withQuery } from './router';

/** The typed client: one function per endpoint the web app calls, typed by the shared contracts. */

export type Site = z.infer<typeof site>;
const inbox = z.object({ items: z.array(notification), unread: z.number().int() });
export type Inbox = z.infer<typeof inbox>;
export type Link = z.infer<typeof link>;
export type Trace = z.infer<typeof trace>;
export type Comment = z.infer<typeof comment>;
export type Attachment = z.infer<typeof attachment>;
export type VersionSnapshot = z.infer<typeof versionSnapshot>;
export type SearchHit = z.infer<typeof searchHit>;
export type TemporaryPassword = z.infer<typeof temporaryPassword>;
/** An active person as the pickers offer them (GET /api/v1/people). */
export type Person = z.infer<typeof person>;
export interface PeopleParams {
  q?: string;
  site?: string;
  /** Only people holding this permission (at `site` when given), e.g. document:review. */
  permission?: string;
  limit?: number;
}
export type RoleGrant = Me['roles'][number];
export type TotpEnrolment = z.infer<typeof totpEnrolment>;
export type ApiTokenCreated = z.infer<typeof apiTokenCreated>;
export type ApiTokenScope = 'read' | 'write';
export type SignatureStatement = z.infer<typeof signatureStatementSchema>;
export type IdentityVerificationInput = z.infer<typeof identityVerificationRequest>;
export type IdentityVerificationMethod = IdentityVerificationInput['method'];
export type IdentityVerification = z.infer<typeof identityVerification>;
export type { Abilities, AuditEntry, TransitionAbility, DeviationDetail, Me, RecordSummary, Signature, Task, UserSummary, VerifyResult };

const items = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });
type Items<T> = { items: T[] };

export interface ListParams {
  limit?: number;
  cursor?: string;
  q?: string;
  status?: string;
  site?: string;
  sort?: string;
  mine?: boolean;
}
export type Page<T> = { items: T[]; nextCursor: string | null; total: number };

export interface TransitionInput {
  action: string;
  version: number;
  reason?: string;
  fields?: Record<string, unknown>;
  signature?: { username?: string; password: string; meaning: string; totp?: string; acceptStatement?: boolean };
}

const rec = (id: string) => `/api/v1/records/${encodeURIComponent(id)}`;
const dev = (id: string) => `/api/v1/deviations/${encodeURIComponent(id)}`;

export const endpoints = {
  // auth and setup
  setupStatus: () => api.get<{ needsSetup: boolean }>('/api/v1/setup/status', { authCall: true }),
  setup: (body: { token: string; username: string; fullName: string; email?: string; password: string }) =>
    api.post<unknown>('/api/v1/setup', body, { authCall: true }),
  me: () => api.get<Me>('/api/v1/auth/me', { authCall: true, schema: me }),
  login: (body: { username: string; password: string; totp?: string }) => api.post<Me>('/api/v1/auth/login', body, { authCall: true, schema: me }),
  logout: () => api.post<void>('/api/v1/auth/logout', undefined, { authCall: true }),
  changePassword: (body: { currentPassword: string; newPassword: string }) => api.post<void>('/api/v1/auth/password', body, { authCall: true }),
  startTotp: () => api.post<TotpEnrolment>('/api/v1/auth/totp', undefined, { schema: totpEnrolment }),
  confirmTotp: (code: string) => api.post<void>('/api/v1/auth/totp/confirm', { code }),
  createApiToken: (body: { name: string; scopes: ApiTokenScope[]; expiresInDays: number }) =>
    api.post<ApiTokenCreated>('/api/v1/auth/tokens', body, { schema: apiTokenCreated }),
  signatureStatement: () => api.get<SignatureStatement>('/api/v1/auth/signature-statement', { schema: signatureStatementSchema }),
  acceptSignatureStatement: () => api.post<Me>('/api/v1/auth/signature-statement', undefined, { schema: me }),
  version: () => api.get<{ version: string; commit: string | null }>('/api/v1/version'),
  sites: () => api.get<Items<Site>>('/api/v1/sites', { schema: items(site) }),

  // work
  tasks: () => api.get<Items<Task>>('/api/v1/tasks', { schema: items(task) }),
  notifications: () => api.get<Inbox>('/api/v1/notifications', { schema: inbox }),
  markNotificationsRead: () => api.post<null>('/api/v1/notifications/read', {}),
  search: (q: string) => api.get<Items<SearchHit>>(withQuery('/api/v1/search', { q }), { schema: items(searchHit) }),
  /** Active people for pickers, open to everyone with a role. */
  people: (params: PeopleParams) => api.get<Items<Person>>(withQuery('/api/v1/people', { ...params }), { schema: items(person) }),

  // deviations
  listDeviations: (params: ListParams) =>
    api.get<Page<RecordSummary>>(withQuery('/api/v1/deviations', { ...params }), { schema: page(recordSummary) }),
  getDeviation: (id: string) => api.get<DeviationDetail>(dev(id), { schema: deviationDetail }),
  createDeviation: (body: Record<string, unknown>) => api.post<DeviationDetail>('/api/v1/deviations', body, { schema: deviationDetail }),
  updateDeviation: (id: string, body: Record<string, unknown>) => api.patch<DeviationDetail>(dev(id), body, { schema: deviationDetail }),
  transitionDeviation: (id: string, body: TransitionInput) =>
    api.post<DeviationDetail>(`${dev(id)}/transitions`, body, { schema: deviationDetail }),

  // the kernel's record sub-resources
  auditTrail: (id: string) => api.get<Items<AuditEntry>>(`${rec(id)}/audit-trail`, { schema: items(auditEntry) }),
  signatures: (id: string) => api.get<Items<Signature>>(`${rec(id)}/signatures`, { schema: items(signature) }),
  versions: (id: string) => api.get<Items<VersionSnapshot>>(`${rec(id)}/versions`, { schema: items(versionSnapshot) }),
  links: (id: string) => api.get<Items<Link>>(`${rec(id)}/links`, { schema: items(link) }),
  createLink: (id: string, body: { targetId: string; type: string; reason?: string }) => api.post<Items<Link>>(`${rec(id)}/links`, body),
  trace: (id: string) => api.get<Trace>(`${rec(id)}/trace`, { schema: trace }),
  comments: (id: string) => api.get<Items<Comment>>(`${rec(id)}/comments`, { schema: items(comment) }),
  addComment: (id: string, body: string) => api.post<Comment>(`${rec(id)}/comments`, { body }),
  attachments: (id: string) => api.get<Items<Attachment>>(`${rec(id)}/attachments`, { schema: items(attachment) }),
  upload: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<Attachment>(`${rec(id)}/attachments`, form);
  },
  attachmentUrl: (attachmentId: string) => `/api/v1/attachments/${encodeURIComponent(attachmentId)}/content`,

  // administration
  verifyAuditTrail: () => api.post<VerifyResult>('/api/v1/audit-trail/verify', undefined, { schema: verifyResult }),
  users: () => api.get<Items<UserSummary>>('/api/v1/users', { schema: items(userSummary) }),
  createUser: (body: { username: string; fullName: string; email?: string; roles: RoleGrant[] }) =>
    api.post<TemporaryPassword>('/api/v1/users', body, { schema: temporaryPassword }),
  recordIdentityVerification: (id: string, body: IdentityVerificationInput) =>
    api.post<IdentityVerification>(`/api/v1/users/${id}/identity-verification`, body, { schema: identityVerification }),
  deactivateUser: (id: string, reason: string) => api.post<unknown>(`/api/v1/users/${id}/deactivate`, { reason }),
  resetPassword: (id: string, reason: string) => api.post<TemporaryPassword>(`/api/v1/users/${id}/reset-password`, { reason }),
  unlockUser: (id: string, reason: string) => api.post<unknown>(`/api/v1/users/${id}/unlock`, { reason }),
  setRoles: (id: string, roles: RoleGrant[], reason: string) => api.put<unknown>(`/api/v1/users/${id}/roles`, { roles, reason }),
};

/** The in-app URL of a record page, by record type. */
export function recordHref(type: string, id: string): string {
  if (type === 'deviation') return `/deviations/${id}`;
  if (type === 'document') return `/documents/${id}`;
  if (type === 'document_revision') return `/documents/revisions/${id}`;
  if (type === 'change') return `/changes/${id}`;
  if (type === 'capa') return `/capas/${id}`;
  if (type === 'action') return `/actions/${id}`;
  return `/records/${id}`;
}
