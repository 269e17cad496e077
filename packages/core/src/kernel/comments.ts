import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/database.js';
import { appendAudit } from './audit.js';
import type { RecordRow } from './records.js';

/** Adds a comment to a record; comments are never edited or removed. */
export async function addComment(ctx: Ctx, record: RecordRow, body: string) {
  const id = randomUUID();
  await ctx.tx.query('INSERT INTO record_comment (id, record_id, body, author_id, author_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [id, record.id, body, ctx.actor.id, ctx.actor.fullName, ctx.now]);
  await appendAudit(ctx, { entityType: record.type, entityId: record.id, action: 'record.commented', changes: [{ field: 'comment', old: null, new: body }], details: { commentId: id } });
  return { id, body, authorName: ctx.actor.fullName, authorId: ctx.actor.id as string, createdAt: ctx.now.toISOString() };
}

export async function commentsOf(db: Queryable, recordId: string) {
  const rows = await db.query<{ id: string; body: string; author_name: string; author_id: string; created_at: Date }>('SELECT * FROM record_comment WHERE record_id = $1 ORDER BY created_at, id', [recordId]);
  return rows.map((r) => ({ id: r.id, body: r.body, authorName: r.author_name, authorId: r.author_id, createdAt: r.created_at.toISOString() }));
}
