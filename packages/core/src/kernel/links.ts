import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/database.js';
import { sqlState } from '../db/database.js';
import { DomainError } from '../errors.js';
import { appendAudit } from './audit.js';
import { getRecord, type RecordRow } from './records.js';

/** Adds a typed, directed link from one record to another; audited on the source record. */
export async function linkRecords(ctx: Ctx, source: RecordRow, targetId: string, type: string, reason?: string): Promise<void> {
  if (targetId === source.id) throw new DomainError('VALIDATION_FAILED', 'A record cannot link to itself', [{ path: 'targetId', message: 'is this record' }]);
  const target = await getRecord(ctx.tx, targetId);
  if (!target) throw new DomainError('VALIDATION_FAILED', 'No such target record', [{ path: 'targetId', message: 'no such record' }]);
  const id = randomUUID();
  try {
    await ctx.tx.query('INSERT INTO record_link (id, source_id, target_id, type, created_by, created_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      id, source.id, targetId, type, ctx.actor.id, ctx.actor.fullName, ctx.now,
    ]);
  } catch (error) {
    if (sqlState(error) === '23505') throw new DomainError('DUPLICATE', 'This link exists already', [{ path: 'targetId', message: 'already linked' }]);
    throw error;
  }
  await appendAudit(ctx, { entityType: source.type, entityId: source.id, action: 'record.linked', reason, changes: [{ field: 'link', old: null, new: { type, target: target.number } }], details: { linkId: id, targetId } });
}

export async function linksOf(db: Queryable, recordId: string) {
  const rows = await db.query<{ id: string; type: string; direction: 'outgoing' | 'incoming'; other_id: string; other_type: string; number: string; title: string; status: string; created_at: Date; created_by_name: string }>(
    `SELECT l.id, l.type, 'outgoing' AS direction, r.id AS other_id, r.type AS other_type, r.number, r.title, r.status, l.created_at, l.created_by_name
       FROM record_link l JOIN record r ON r.id = l.target_id WHERE l.source_id = $1
     UNION ALL
     SELECT l.id, l.type, 'incoming', r.id, r.type, r.number, r.title, r.status, l.created_at, l.created_by_name
       FROM record_link l JOIN record r ON r.id = l.source_id WHERE l.target_id = $1
     ORDER BY created_at`,
    [recordId],
  );
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    direction: r.direction,
    other: { id: r.other_id, type: r.other_type, number: r.number, title: r.title, status: r.status },
    createdAt: r.created_at.toISOString(),
    createdByName: r.created_by_name,
  }));
}

/** The trace graph of a record in one recursive query: everything linked to it, either way, up to a depth. */
export async function traceOf(db: Queryable, recordId: string, maxDepth = 6) {
  const nodes = await db.query<{ id: string; type: string; number: string; title: string; status: string; depth: number }>(
    `WITH RECURSIVE walk(id, depth) AS (
       SELECT $1::uuid, 0
       UNION
       SELECT CASE WHEN l.source_id = w.id THEN l.target_id ELSE l.source_id END, w.depth + 1
         FROM walk w JOIN record_link l ON l.source_id = w.id OR l.target_id = w.id
        WHERE w.depth < $2
     )
     SELECT r.id, r.type, r.number, r.title, r.status, min(w.depth)::int AS depth
       FROM walk w JOIN record r ON r.id = w.id GROUP BY r.id ORDER BY depth, r.number`,
    [recordId, maxDepth],
  );
  const ids = nodes.map((n) => n.id);
  const edges = ids.length
    ? await db.query<{ from: string; to: string; type: string }>('SELECT source_id AS "from", target_id AS "to", type FROM record_link WHERE source_id = ANY($1::uuid[]) AND target_id = ANY($1::uuid[])', [ids])
    : [];
  return { nodes, edges };
}
