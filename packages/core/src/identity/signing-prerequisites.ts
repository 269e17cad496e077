import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';
import { appendAudit } from '../kernel/audit.js';
import { sha256 } from '../kernel/canonical.js';
import { can } from './access.js';

/** The e-signature accountability statement every signer accepts once per version (21 CFR 11.10(j), 11.100(c)). */
export const signatureStatement = {
  version: 1,
  text:
    'I understand that my electronic signature in Verity is the legally binding equivalent of my handwritten signature. ' +
    'I will keep my password and authenticator to myself, sign only what I have reviewed, and I am accountable for every action taken under my signature.',
} as const;

export const identityVerificationMethods = ['in-person-photo-id', 'hr-record', 'video-call-photo-id', 'manager-attestation'] as const;

export interface SigningReadiness {
  identityVerified: boolean;
  identityVerifiedAt: Date | null;
  statementAccepted: boolean;
  statementAcceptedAt: Date | null;
}

export async function signingReadiness(db: Queryable, userId: string): Promise<SigningReadiness> {
  const [row] = await db.query<{ verified_at: Date | null; accepted_at: Date | null }>(
    `SELECT (SELECT min(verified_at) FROM identity_verification WHERE user_id = $1) AS verified_at,
            (SELECT accepted_at FROM signature_statement_acceptance WHERE user_id = $1 AND statement_version = $2) AS accepted_at`,
    [userId, signatureStatement.version],
  );
  return { identityVerified: row.verified_at !== null, identityVerifiedAt: row.verified_at, statementAccepted: row.accepted_at !== null, statementAcceptedAt: row.accepted_at };
}

/**
 * An administrator records how a person's identity was verified before their electronic
 * signature is established (11.100(b)). The verifier may not be the person verified.
 */
export async function recordIdentityVerification(ctx: Ctx, userId: string, input: { method: string; evidenceRef: string }): Promise<{ id: string; verifiedAt: string; verifiedByName: string }> {
  if (!can(ctx.actor, 'user:manage')) throw new DomainError('FORBIDDEN', 'Only a system administrator records identity verifications');
  if (userId === ctx.actor.id) throw new DomainError('SEGREGATION_OF_DUTIES', 'Another administrator must verify your identity', [{ path: 'id', message: 'is you' }]);
  const [user] = await ctx.tx.query<{ id: string; active: boolean }>('SELECT id, active FROM app_user WHERE id = $1', [userId]);
  if (!user) throw notFound('user');
  if (!user.active) throw new DomainError('VALIDATION_FAILED', 'This user is deactivated', [{ path: 'id', message: 'is deactivated' }]);
  const id = randomUUID();
  await ctx.tx.query(
    'INSERT INTO identity_verification (id, user_id, method, evidence_ref, verified_by, verified_by_name, verified_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [id, userId, input.method, input.evidenceRef, ctx.actor.id, ctx.actor.fullName, ctx.now],
  );
  await appendAudit(ctx, {
    entityType: 'user',
    entityId: userId,
    action: 'user.identity_verified',
    changes: [{ field: 'identityVerification', old: null, new: { method: input.method, evidenceRef: input.evidenceRef } }],
  });
  return { id, verifiedAt: ctx.now.toISOString(), verifiedByName: ctx.actor.fullName };
}

/** Records that the signed-in person accepted the current accountability statement (once per version). */
export async function acceptSignatureStatement(ctx: Ctx): Promise<void> {
  if (!ctx.actor.id) throw new DomainError('FORBIDDEN', 'Only a person accepts the statement');
  const inserted = await ctx.tx.query(
    `INSERT INTO signature_statement_acceptance (id, user_id, statement_version, statement_hash, accepted_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id, statement_version) DO NOTHING RETURNING id`,
    [randomUUID(), ctx.actor.id, signatureStatement.version, sha256(signatureStatement.text), ctx.now],
  );
  if (inserted.length === 0) return;
  await appendAudit(ctx, {
    entityType: 'user',
    entityId: ctx.actor.id,
    action: 'user.signature_statement_accepted',
    changes: [{ field: 'signatureStatement', old: null, new: { version: signatureStatement.version, hash: sha256(signatureStatement.text) } }],
  });
}
