import type { DocumentType } from '@verity/contracts';
import type { Ctx } from '../../context.js';
import type { Queryable } from '../../db/database.js';
import { DomainError } from '../../errors.js';
import { can } from '../../identity/access.js';
import { appendAudit } from '../../kernel/audit.js';

interface TypeRow {
  code: string;
  label: string;
  prefix: string;
  review_months: number;
  grace_days: number;
  gate_percent: number | null;
  retraining_months: number | null;
  version: number;
}

const present = (r: TypeRow): DocumentType => ({
  code: r.code, label: r.label, prefix: r.prefix, reviewMonths: r.review_months, graceDays: r.grace_days, gatePercent: r.gate_percent, retrainingMonths: r.retraining_months, version: r.version,
});

export async function documentTypes(db: Queryable): Promise<DocumentType[]> {
  return (await db.query<TypeRow>('SELECT * FROM document_type ORDER BY label')).map(present);
}

export async function documentType(db: Queryable, code: string): Promise<DocumentType> {
  const [row] = await db.query<TypeRow>('SELECT * FROM document_type WHERE code = $1', [code]);
  if (!row) throw new DomainError('VALIDATION_FAILED', `No document type ${code}`, [{ path: 'docType', message: 'no such document type' }]);
  return present(row);
}

export interface DocumentTypeChange {
  version: number;
  reason: string;
  reviewMonths?: number;
  graceDays?: number;
  gatePercent?: number | null;
  retrainingMonths?: number | null;
}

/** Changes the rules of a document type (review period, grace, effective gate, retraining), audited with old and new values. */
export async function updateDocumentType(ctx: Ctx, code: string, change: DocumentTypeChange): Promise<DocumentType> {
  if (!can(ctx.actor, 'document:manage')) throw new DomainError('FORBIDDEN', 'Only document control may change document types');
  const [row] = await ctx.tx.query<TypeRow>('SELECT * FROM document_type WHERE code = $1 FOR UPDATE', [code]);
  if (!row) throw new DomainError('NOT_FOUND', `No document type ${code}`);
  if (row.version !== change.version) throw new DomainError('VERSION_CONFLICT', `The type ${row.label} was changed by someone else; reload`, [{ path: 'version', message: 'is stale' }]);
  const fields = { reviewMonths: 'review_months', graceDays: 'grace_days', gatePercent: 'gate_percent', retrainingMonths: 'retraining_months' } as const;
  const changes = Object.entries(fields)
    .filter(([field, column]) => change[field as keyof typeof fields] !== undefined && change[field as keyof typeof fields] !== row[column])
    .map(([field, column]) => ({ field, old: row[column], new: change[field as keyof typeof fields] as number | null }));
  if (changes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Nothing was changed', [{ path: 'version', message: 'no field differs from the current values' }]);
  const next = { ...row, version: row.version + 1 };
  for (const c of changes) (next as Record<string, unknown>)[fields[c.field as keyof typeof fields]] = c.new;
  await ctx.tx.query('UPDATE document_type SET review_months = $2, grace_days = $3, gate_percent = $4, retraining_months = $5, version = $6 WHERE code = $1', [
    code, next.review_months, next.grace_days, next.gate_percent, next.retraining_months, next.version,
  ]);
  await appendAudit(ctx, { entityType: 'document_type', entityId: `document_type:${code}`, action: 'document_type.updated', reason: change.reason, changes });
  return present(next);
}
