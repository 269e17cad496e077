import { z } from 'zod';
import { isoDateTime, optionalText, plainString, text, uuid } from './common.js';

/** What a signer states by signing: the controlled list of meanings (21 CFR 11.50(a)(3)). */
export const signatureMeanings = ['authorship', 'review', 'approval', 'verification', 'responsibility', 'closure', 'read_understood', 'training_delivered'] as const;
export const signatureMeaning = z.enum(signatureMeanings);
export type SignatureMeaning = z.infer<typeof signatureMeaning>;
export const signatureMeaningLabels: Record<SignatureMeaning, string> = {
  authorship: 'Authored',
  review: 'Reviewed',
  approval: 'Approved',
  verification: 'Verified',
  responsibility: 'Responsibility accepted',
  closure: 'Closed',
  read_understood: 'Read and understood',
  training_delivered: 'Training delivered',
};

export const signatureInput = z.object({
  /** Required on the first signing of a continuous session (21 CFR 11.200(a)(1)(i)). */
  username: plainString(64).optional(),
  password: z.string().min(1).max(512),
  meaning: plainString(50).min(1),
  totp: z.string().regex(/^\d{6}$/, 'six digits').optional(),
  /** Accepts the e-signature accountability statement with this first signature (11.10(j)). */
  acceptStatement: z.boolean().optional(),
});
export type SignatureInput = z.infer<typeof signatureInput>;

export const transitionRequest = z.object({
  action: plainString(50).min(1),
  reason: optionalText(2000),
  /** Fields the transition requires (e.g. classification at triage), applied with it. */
  fields: z.record(z.string(), z.unknown()).optional(),
  version: z.number().int().min(1),
  signature: signatureInput.optional(),
});

export const transitionAbility = z.object({
  action: z.string(),
  label: z.string(),
  to: z.string(),
  requiresSignature: z.boolean(),
  meanings: z.array(z.string()),
  requiresReason: z.boolean(),
  requiredFields: z.array(z.string()),
  /** Fields the step may record, required only in some cases (e.g. the justification when no CAPA is needed). */
  optionalFields: z.array(z.string()).optional(),
  allowed: z.boolean(),
  deniedBecause: z.string().nullable(),
});
export type TransitionAbility = z.infer<typeof transitionAbility>;

export const abilities = z.object({
  read: z.boolean(),
  update: z.boolean(),
  comment: z.boolean(),
  attach: z.boolean(),
  link: z.boolean(),
  transitions: z.array(transitionAbility),
});
export type Abilities = z.infer<typeof abilities>;

export const recordSummary = z.object({
  id: uuid,
  type: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  siteCode: z.string(),
  ownerId: uuid,
  ownerName: z.string(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type RecordSummary = z.infer<typeof recordSummary>;

export const fieldChange = z.object({ field: z.string(), old: z.unknown(), new: z.unknown() });

export const auditEntry = z.object({
  seq: z.number().int(),
  entitySeq: z.number().int(),
  entityType: z.string(),
  entityId: z.string(),
  action: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  at: isoDateTime,
  reason: z.string().nullable(),
  changes: z.array(fieldChange),
  context: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const signature = z.object({
  id: uuid,
  recordId: uuid,
  recordVersion: z.number().int(),
  signerId: uuid,
  signerName: z.string(),
  meaning: z.string(),
  meaningLabel: z.string(),
  action: z.string(),
  signedAt: isoDateTime,
  contentHash: z.string(),
  valid: z.boolean(),
  invalidReason: z.string().nullable(),
  /** True when content was added after this signature by later steps; what was signed is unchanged (otherwise valid is false). */
  contentChangedSince: z.boolean(),
  /** 'Jane Q. Doe — 2026-03-04 14:05:11 UTC — Approved': the 11.50 manifestation. */
  manifestation: z.string(),
});
export type Signature = z.infer<typeof signature>;

export const linkTypes = ['caused-by', 'addresses', 'implements', 'revises', 'verifies', 'trains-on', 'mitigates', 'relates-to'] as const;
export const linkType = z.enum(linkTypes);
export const createLinkRequest = z.object({ targetId: uuid, type: linkType, reason: optionalText(500) });
export const link = z.object({
  id: uuid,
  type: z.string(),
  direction: z.enum(['outgoing', 'incoming']),
  other: z.object({ id: uuid, type: z.string(), number: z.string(), title: z.string(), status: z.string() }),
  createdAt: isoDateTime,
  createdByName: z.string(),
});
export const traceNode = z.object({
  id: uuid,
  type: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  depth: z.number().int(),
  /** For a document revision: the training assignments that followed it. */
  training: z.object({ required: z.number().int(), completed: z.number().int(), open: z.number().int(), overdue: z.number().int() }).optional(),
});
export const traceEdge = z.object({ from: uuid, to: uuid, type: z.string() });
export const trace = z.object({ nodes: z.array(traceNode), edges: z.array(traceEdge) });

export const comment = z.object({ id: uuid, body: z.string(), authorName: z.string(), authorId: uuid, createdAt: isoDateTime });
export const createCommentRequest = z.object({ body: text(10000) });

export const attachment = z.object({
  id: uuid,
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedByName: z.string(),
  uploadedAt: isoDateTime,
});

export const versionSnapshot = z.object({
  version: z.number().int(),
  status: z.string(),
  contentHash: z.string(),
  prevHash: z.string().nullable(),
  content: z.record(z.string(), z.unknown()),
  changedByName: z.string(),
  changedAt: isoDateTime,
});

export const verifyResult = z.object({
  ok: z.boolean(),
  entriesChecked: z.number().int(),
  entitiesChecked: z.number().int(),
  checkpointsChecked: z.number().int(),
  recordsChecked: z.number().int(),
  durationMs: z.number(),
  problems: z.array(
    z.object({
      kind: z.enum(['entry-altered', 'entry-missing', 'entry-inserted', 'chain-broken', 'head-mismatch', 'checkpoint-mismatch', 'checkpoint-signature', 'record-altered', 'signature-invalid']),
      entityId: z.string().nullable(),
      seq: z.number().int().nullable(),
      entitySeq: z.number().int().nullable(),
      detail: z.string(),
    }),
  ),
});
export type VerifyResult = z.infer<typeof verifyResult>;

export const searchHit = recordSummary.extend({ rank: z.number(), snippet: z.string().nullable() });

export const task = z.object({
  recordId: uuid,
  number: z.string(),
  type: z.string(),
  title: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
});
export type Task = z.infer<typeof task>;

export const reasonText = text(2000);

export const notification = z.object({ id: uuid, recordId: uuid.nullable(), recordType: z.string().nullable(), message: z.string(), createdAt: isoDateTime, read: z.boolean() });
export type Notification = z.infer<typeof notification>;

export const auditQuery = z.object({
  actorId: uuid.optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  format: z.enum(['json', 'csv']).default('json'),
});
