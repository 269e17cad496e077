import { z } from 'zod';
import { isoDateTime, text, uuid } from './common.js';

export const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');

export const loginRequest = z.object({
  username,
  password: z.string().min(1).max(512),
  totp: z.string().regex(/^\d{6}$/, 'six digits').optional(),
});

export const changePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(512),
  newPassword: z.string().min(1).max(512),
});

export const roleNames = ['operator', 'investigator', 'qa_reviewer', 'qa_manager', 'document_controller', 'trainer', 'inspector', 'sysadmin'] as const;
export const roleName = z.enum(roleNames);
export type RoleName = z.infer<typeof roleName>;

export const roleLabels: Record<RoleName, string> = {
  operator: 'Operator',
  investigator: 'Investigator',
  qa_reviewer: 'QA reviewer',
  qa_manager: 'QA manager',
  document_controller: 'Document controller',
  trainer: 'Trainer',
  inspector: 'Inspector (read-only)',
  sysadmin: 'System administrator',
};

export const roleGrant = z.object({ role: roleName, siteCode: z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, dash and underscore only') });

export const site = z.object({ id: uuid, code: z.string(), name: z.string() });

export const me = z.object({
  id: uuid,
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  roles: z.array(roleGrant),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  signingSessionStarted: z.boolean(),
  /** An administrator recorded how this person's identity was verified: electronic signature established (11.100(b)). */
  identityVerified: z.boolean(),
  /** The e-signature accountability statement was accepted (11.10(j)); until then the first signature must accept it. */
  signatureStatementAccepted: z.boolean(),
  identityVerifiedAt: isoDateTime.nullable(),
  signatureStatementAcceptedAt: isoDateTime.nullable(),
  sessionExpiresAt: isoDateTime.nullable(),
});
export type Me = z.infer<typeof me>;

export const createUserRequest = z.object({
  username,
  fullName: text(200),
  email: z.email().max(320).optional(),
  roles: z.array(roleGrant).max(50).default([]),
});

/** Name and e-mail corrections (e.g. a change of name); past signatures keep the name printed then. */
export const updateUserRequest = z
  .object({ fullName: text(200).optional(), email: z.email().max(320).nullable().optional(), reason: text(500) })
  .strict();

export const userSummary = z.object({
  id: uuid,
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
  locked: z.boolean(),
  /** Identity verified by an administrator: the electronic signature is established (11.100(b)). */
  identityVerified: z.boolean(),
  roles: z.array(roleGrant),
  lastLoginAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type UserSummary = z.infer<typeof userSummary>;

/** A temporary password is shown once to the administrator and must be changed at first sign-in. */
export const temporaryPassword = z.object({ user: userSummary, temporaryPassword: z.string(), expiresAt: isoDateTime });

export const setRolesRequest = z.object({ roles: z.array(roleGrant).max(50), reason: text(500) });
export const reasonRequest = z.object({ reason: text(500) });

export const setupRequest = z.object({
  token: z.string().min(10).max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a setup token'),
  username,
  fullName: text(200),
  email: z.email().max(320).optional(),
  password: z.string().min(1).max(512),
});

export const totpEnrolment = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const totpConfirm = z.object({ code: z.string().regex(/^\d{6}$/, 'six digits') });

export const apiTokenRequest = z.object({
  name: text(100),
  scopes: z.array(z.enum(['read', 'write'])).min(1),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
export const apiTokenCreated = z.object({ id: uuid, name: z.string(), token: z.string(), scopes: z.array(z.string()), expiresAt: isoDateTime });

export const identityVerificationRequest = z
  .object({
    method: z.enum(['in-person-photo-id', 'hr-record', 'video-call-photo-id', 'manager-attestation']),
    evidenceRef: text(200),
  })
  .strict();
export const identityVerification = z.object({ id: z.uuid(), verifiedAt: z.string(), verifiedByName: z.string() });
export const signatureStatementSchema = z.object({ version: z.number().int(), text: z.string() });

/** A person as pickers show them (reviewers, approvers, owners, trainees): no account details. */
export const person = z.object({ id: uuid, fullName: z.string(), username: z.string(), department: z.string().nullable(), roles: z.array(z.object({ role: z.string(), siteCode: z.string() })) });
export const peopleQuery = z.object({
  q: z.string().max(100).optional(),
  site: z.string().max(20).optional(),
  /** Only people holding this permission (at `site` when given), e.g. document:review. */
  permission: z.string().max(50).regex(/^[a-z_]+:[a-z_]+$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
