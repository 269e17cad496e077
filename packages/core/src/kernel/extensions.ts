import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/database.js';
import { DomainError } from '../errors.js';
import { appendAudit } from './audit.js';
import { applyChange, lockRecord, type RecordRow } from './records.js';
import { applySignature } from './signatures.js';

interface ExtensionRow {
  id: string;
  record_id: string;
  original_due_date: string | null;
  requested_due_date: string;
  justification: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  decision: 'pending' | 'approved' | 'rejected';
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

const columns = `id, record_id, original_due_date::text AS original_due_date, requested_due_date::text AS requested_due_date, justification, requested_by, requested_by_name,
  requested_at, decision, decided_by_name, decided_at, decision_reason`;

const present = (r: ExtensionRow) => ({
  id: r.id,
  recordId: r.record_id,
  originalDueDate: r.original_due_date,
  requestedDueDate: r.requested_due_date,
  justification: r.justification,
  requestedById: r.requested_by,
  requestedByName: r.requested_by_name,
  requestedAt: r.requested_at.toISOString(),
  decision: r.decision,
  decidedByName: r.decided_by_name,
  decidedAt: r.decided_at?.toISOString() ?? null,
  decisionReason: r.decision_reason,
});

export async function extensionsOf(db: Queryable, recordId: string) {
  return (await db.query<ExtensionRow>(`SELECT ${columns} FROM due_date_extension WHERE record_id = $1 ORDER BY requested_at`, [recordId])).map(present);
}

/** Requests a later due date with a justification; one pending request per record. Audited on the record. */
export async function requestExtension(ctx: Ctx, record: RecordRow, input: { requestedDueDate: string; justification: string }) {
  if (!record.due_date) throw new DomainError('INVALID_TRANSITION', `${record.number} has no due date to extend`);
  if (input.requestedDueDate <= record.due_date) {
    throw new DomainError('VALIDATION_FAILED', 'The new due date must be later than the current one', [{ path: 'requestedDueDate', message: `must be after ${record.due_date}` }]);
  }
  const [pending] = await ctx.tx.query('SELECT 1 FROM due_date_extension WHERE record_id = $1 AND decision = $2', [record.id, 'pending']);
  if (pending) throw new DomainError('DUPLICATE', `An extension of ${record.number} is already waiting for a decision`);
  const [first] = await ctx.tx.query<{ original_due_date: string | null }>(
    "SELECT original_due_date::text AS original_due_date FROM due_date_extension WHERE record_id = $1 AND decision = 'approved' ORDER BY requested_at LIMIT 1",
    [record.id],
  );
  const id = randomUUID();
  await ctx.tx.query(
    `INSERT INTO due_date_extension (id, record_id, original_due_date, requested_due_date, justification, requested_by, requested_by_name, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, record.id, first?.original_due_date ?? record.due_date, input.requestedDueDate, input.justification, ctx.actor.id, ctx.actor.fullName, ctx.now],
  );
  await appendAudit(ctx, {
    entityType: record.type,
    entityId: record.id,
    action: 'record.extension_requested',
    reason: input.justification,
    changes: [{ field: 'dueDateExtension', old: record.due_date, new: input.requestedDueDate }],
    details: { extensionId: id },
  });
  return id;
}

/**
 * Decides a pending extension. Approval is signed by someone other than the requester and moves
 * the due date (audited with the justification); the original due date stays for on-time metrics.
 */
export async function decideExtension(ctx: Ctx, recordId: string, type: string, extensionId: string, input: { approve: boolean; reason?: string; signed: boolean }) {
  const record = await lockRecord(ctx, recordId, type);
  const [row] = await ctx.tx.query<ExtensionRow>(`SELECT ${columns} FROM due_date_extension WHERE id = $1 AND record_id = $2 FOR UPDATE`, [extensionId, recordId]);
  if (!row) throw new DomainError('NOT_FOUND', 'No such extension request');
  if (row.decision !== 'pending') throw new DomainError('INVALID_TRANSITION', `This extension was ${row.decision} already`);
  if (row.requested_by === ctx.actor.id) throw new DomainError('SEGREGATION_OF_DUTIES', 'Whoever requested an extension may not decide it');
  if (!input.approve && !input.reason) throw new DomainError('VALIDATION_FAILED', 'Give the reason for rejecting', [{ path: 'reason', message: 'is required when rejecting' }]);
  let signatureId: string | null = null;
  if (input.approve) {
    if (!input.signed) throw new DomainError('SIGNATURE_REQUIRED', 'Approving an extension needs your electronic signature', [{ path: 'signature', message: 'is required' }]);
    const { record: extended } = await applyChange(ctx, record, record.version, { dueDate: row.requested_due_date }, {
      action: 'record.updated',
      reason: `Due date extended: ${row.justification}`,
      details: { extensionId, originalDueDate: row.original_due_date },
    });
    signatureId = await applySignature(ctx, extended, 'approval', 'approve_extension');
  }
  await ctx.tx.query('UPDATE due_date_extension SET decision = $2, decided_by = $3, decided_by_name = $4, decided_at = $5, decision_reason = $6, signature_id = $7 WHERE id = $1', [
    extensionId, input.approve ? 'approved' : 'rejected', ctx.actor.id, ctx.actor.fullName, ctx.now, input.reason ?? null, signatureId,
  ]);
  await appendAudit(ctx, {
    entityType: record.type,
    entityId: record.id,
    action: 'record.extension_decided',
    reason: input.reason ?? null,
    changes: [{ field: 'dueDateExtension', old: 'pending', new: input.approve ? 'approved' : 'rejected' }],
    details: { extensionId, signatureId },
  });
}

/** On-time figures of a record type: closed on time against the current and the original due date, open, overdue, extended. */
export async function onTimeMetrics(db: Queryable, type: string, finalStates: string[], closedState: string, today: string) {
  const [row] = await db.query<{ closed: number; closed_on_time: number; closed_on_time_original: number; open: number; overdue: number; extended: number }>(
    `WITH r AS (
       SELECT r.id, r.status, r.due_date, r.updated_at::date AS closed_on,
              COALESCE((SELECT min(e.original_due_date) FROM due_date_extension e WHERE e.record_id = r.id AND e.decision = 'approved'), r.due_date) AS original_due,
              EXISTS (SELECT 1 FROM due_date_extension e WHERE e.record_id = r.id AND e.decision = 'approved') AS extended
         FROM record r WHERE r.type = $1)
     SELECT count(*) FILTER (WHERE status = $3)::int AS closed,
            count(*) FILTER (WHERE status = $3 AND (due_date IS NULL OR closed_on <= due_date))::int AS closed_on_time,
            count(*) FILTER (WHERE status = $3 AND (original_due IS NULL OR closed_on <= original_due))::int AS closed_on_time_original,
            count(*) FILTER (WHERE NOT status = ANY($2::text[]))::int AS open,
            count(*) FILTER (WHERE NOT status = ANY($2::text[]) AND due_date < $4::date)::int AS overdue,
            count(*) FILTER (WHERE extended)::int AS extended
       FROM r`,
    [type, finalStates, closedState, today],
  );
  return { type, closed: row.closed, closedOnTime: row.closed_on_time, closedOnTimeOriginalDue: row.closed_on_time_original, open: row.open, overdue: row.overdue, extended: row.extended };
}
