import { randomUUID } from 'node:crypto';
import { type Signature, signatureMeaningLabels, type SignatureMeaning } from '@verity/contracts';
import type { Ctx, Services } from '../context.js';
import type { Queryable } from '../db/database.js';
import { DomainError } from '../errors.js';
import { appendAudit } from './audit.js';
import { canonicalJson } from './canonical.js';
import { contentHash, contentOf, type RecordRow } from './records.js';

interface SignatureRow {
  id: string;
  record_id: string;
  record_version: number;
  content_hash: string;
  signer_id: string;
  signer_name: string;
  meaning: string;
  action: string;
  signed_at: Date;
  key_id: string;
  seal: string;
}

function sealedFields(s: Omit<SignatureRow, 'key_id' | 'seal'>): string {
  return canonicalJson({
    id: s.id,
    recordId: s.record_id,
    recordVersion: s.record_version,
    contentHash: s.content_hash,
    signerId: s.signer_id,
    signerName: s.signer_name,
    meaning: s.meaning,
    action: s.action,
    signedAt: s.signed_at,
  });
}

/**
 * Applies an electronic signature to the record's current version, in the caller's transaction.
 * The signer has been re-authenticated by the caller; the printed name and time are captured now
 * and sealed with the content hash under the instance key (11.50, 11.70).
 */
export async function applySignature(ctx: Ctx, record: RecordRow, meaning: SignatureMeaning, action: string): Promise<string> {
  if (!ctx.actor.id) throw new Error('signatures need a person');
  if (!trainingActions.has(action)) await requireCurrentTraining(ctx, record.type);
  const row = {
    id: randomUUID(),
    record_id: record.id,
    record_version: record.version,
    content_hash: record.content_hash,
    signer_id: ctx.actor.id,
    signer_name: ctx.actor.fullName,
    meaning,
    action,
    signed_at: ctx.now,
  };
  const seal = ctx.services.key.sign(sealedFields(row));
  await ctx.tx.query(
    `INSERT INTO signature (id, record_id, record_version, content_hash, signer_id, signer_name, meaning, action, signed_at, key_id, seal)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [row.id, row.record_id, row.record_version, row.content_hash, row.signer_id, row.signer_name, row.meaning, row.action, row.signed_at, ctx.services.key.keyId, seal],
  );
  await appendAudit(ctx, {
    entityType: record.type,
    entityId: record.id,
    action: 'record.signed',
    changes: [{ field: 'signature', old: null, new: { meaning, signer: ctx.actor.fullName, version: record.version } }],
    details: { signatureId: row.id, meaning, transition: action, version: record.version, contentHash: record.content_hash },
  });
  return row.id;
}

/** Signatures that record training itself; the training gate does not apply to them. */
const trainingActions = new Set(['train', 'deliver_training']);

/**
 * The training gate (11.10(i)): a person may sign a record of a process only while trained on the
 * current revision of every effective document that governs the process and applies to them.
 */
async function requireCurrentTraining(ctx: Ctx, processType: string): Promise<void> {
  const missing = await ctx.tx.query<{ number: string; version_label: string }>(
    `SELECT d.number, e.version_label FROM record d
       JOIN document_effectivity e ON e.document_id = d.id AND e.effective_to IS NULL
       JOIN training_need n ON n.document_id = d.id AND n.user_id = $1
      WHERE d.type = 'document' AND d.status = 'effective' AND d.data->'governs' ? $2
        AND NOT EXISTS (SELECT 1 FROM training_assignment a WHERE a.user_id = $1 AND a.revision_id = e.training_basis_id AND a.status = 'completed' AND (a.expires_at IS NULL OR a.expires_at > $3))
      ORDER BY d.number`,
    [ctx.actor.id, processType, ctx.now],
  );
  if (missing.length > 0) {
    const list = missing.map((m) => `${m.number} v${m.version_label}`).join(', ');
    throw new DomainError('TRAINING_NOT_CURRENT', `You are not trained on ${list}, which governs this process: complete that training before signing`);
  }
}

export function manifestation(signerName: string, signedAt: Date, meaning: string): string {
  const when = signedAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `${signerName} — ${when} — ${signatureMeaningLabels[meaning as SignatureMeaning] ?? meaning}`;
}

/**
 * The signatures of a record, each checked: its seal must verify, and the content it was bound to
 * must still be the record's current content; otherwise it is shown as invalid with the reason.
 */
export async function signaturesOf(services: Pick<Services, 'key'>, db: Queryable, record: RecordRow, options: { excludeActions?: string[] } = {}): Promise<Signature[]> {
  const rows = await db.query<SignatureRow & { version_hash: string | null; signed_content: Record<string, unknown> | null }>(
    `SELECT s.*, v.content_hash AS version_hash, v.content AS signed_content FROM signature s
       LEFT JOIN record_version v ON v.record_id = s.record_id AND v.version = s.record_version
      WHERE s.record_id = $1 AND NOT (s.action = ANY($2::text[])) ORDER BY s.signed_at, s.record_version, s.id`,
    [record.id, options.excludeActions ?? []],
  );
  const currentHash = contentHash(record);
  return rows.map((s) => {
    let invalidReason: string | null = null;
    if (s.key_id !== services.key.keyId || !services.key.verify(sealedFields(s), s.seal)) {
      invalidReason = 'the signature seal does not verify: the signature or what it binds to was altered or copied';
    } else if (s.record_id !== record.id || s.version_hash !== s.content_hash) {
      invalidReason = `the signature does not match version ${s.record_version} of this record (hash mismatch)`;
    } else if (currentHash !== record.content_hash) {
      invalidReason = 'the record content was altered outside the application after signing (hash mismatch)';
    } else if (s.content_hash !== record.content_hash) {
      const changed = changedSignedFields(s.signed_content ?? {}, contentOf(record));
      if (changed.length > 0) invalidReason = `what was signed in version ${s.record_version} has changed since (${changed.join(', ')}): this signature no longer covers the record`;
    }
    return {
      id: s.id,
      recordId: s.record_id,
      recordVersion: s.record_version,
      signerId: s.signer_id,
      signerName: s.signer_name,
      meaning: s.meaning,
      meaningLabel: signatureMeaningLabels[s.meaning as SignatureMeaning] ?? s.meaning,
      action: s.action,
      signedAt: s.signed_at.toISOString(),
      contentHash: s.content_hash,
      valid: invalidReason === null,
      invalidReason,
      contentChangedSince: s.content_hash !== record.content_hash,
      manifestation: manifestation(s.signer_name, s.signed_at, s.meaning),
    };
  });
}

const isBlank = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * The fields that held a value when the record was signed and hold another value now. Fields
 * filled in by later workflow steps (blank when signed) do not void an earlier signature; any
 * change to what the signer saw does.
 */
export function changedSignedFields(signed: Record<string, unknown>, current: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const key of ['type', 'number', 'title']) if (canonicalJson(signed[key]) !== canonicalJson(current[key])) changed.push(key);
  const signedData = (signed.data ?? {}) as Record<string, unknown>;
  const currentData = (current.data ?? {}) as Record<string, unknown>;
  for (const [field, value] of Object.entries(signedData)) {
    if (!isBlank(value) && canonicalJson(value) !== canonicalJson(currentData[field] ?? null)) changed.push(field);
  }
  return changed;
}

/** Every signature whose seal no longer verifies, for the integrity check. */
export async function verifySignatureSeals(services: Pick<Services, 'key'>, db: Queryable): Promise<{ signatureId: string; recordId: string; detail: string }[]> {
  const rows = await db.query<SignatureRow>('SELECT * FROM signature ORDER BY signed_at');
  return rows
    .filter((s) => s.key_id !== services.key.keyId || !services.key.verify(sealedFields(s), s.seal))
    .map((s) => ({ signatureId: s.id, recordId: s.record_id, detail: `signature ${s.id} by ${s.signer_name} on record ${s.record_id} does not verify: altered, or copied from another record` }));
}
