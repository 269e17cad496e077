import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';
import { appendAudit, type FieldChange } from './audit.js';
import { canonicalJson, sha256 } from './canonical.js';

export interface RecordRow {
  id: string;
  type: string;
  number: string;
  site_id: string;
  site_code: string;
  title: string;
  status: string;
  owner_id: string;
  owner_name: string;
  due_date: string | null;
  data: Record<string, unknown>;
  version: number;
  content_hash: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const selectRecord = `SELECT r.id, r.type, r.number, r.site_id, s.code AS site_code, r.title, r.status, r.owner_id, u.full_name AS owner_name,
  r.due_date, r.data, r.version, r.content_hash, r.created_by, r.created_at, r.updated_at
  FROM record r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.owner_id`;

/** The controlled content of a record: what its content hash, and so its signatures, cover. */
export function contentOf(record: { type: string; number: string; title: string; data: Record<string, unknown> }): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ type: record.type, number: record.number, title: record.title, data: record.data }));
}

export function contentHash(record: { type: string; number: string; title: string; data: Record<string, unknown> }): string {
  return sha256(canonicalJson(contentOf(record)));
}

function versionHash(prevHash: string | null, v: { recordId: string; version: number; status: string; contentHash: string; changedBy: string; changedAt: Date }): string {
  return sha256((prevHash ?? '') + canonicalJson(v));
}

export async function getRecord(db: Queryable, id: string, type?: string): Promise<RecordRow | undefined> {
  const [row] = await db.query<RecordRow>(`${selectRecord} WHERE r.id = $1 ${type ? 'AND r.type = $2' : ''}`, type ? [id, type] : [id]);
  return row;
}

/** Reads a record and locks its row for the rest of the transaction. */
export async function lockRecord(ctx: Ctx, id: string, type: string): Promise<RecordRow> {
  // NO KEY UPDATE: rows that merely reference the record (links, signatures, notifications) need not wait.
  const locked = await ctx.tx.query('SELECT id FROM record WHERE id = $1 AND type = $2 FOR NO KEY UPDATE', [id, type]);
  if (locked.length === 0) throw notFound(type);
  return (await getRecord(ctx.tx, id)) as RecordRow;
}

/** Draws the next gapless number for a prefix, site and year: `DEV-BER-2026-0001`. */
async function nextNumber(ctx: Ctx, prefix: string, siteCode: string): Promise<string> {
  const year = ctx.now.getUTCFullYear();
  const [row] = await ctx.tx.query<{ last: number }>(
    `INSERT INTO number_sequence (prefix, site_code, year, last) VALUES ($1, $2, $3, 1)
     ON CONFLICT (prefix, site_code, year) DO UPDATE SET last = number_sequence.last + 1 RETURNING last`,
    [prefix, siteCode, year],
  );
  return `${prefix}-${siteCode}-${year}-${String(row.last).padStart(4, '0')}`;
}

async function writeVersion(ctx: Ctx, record: { id: string; version: number; status: string; content_hash: string; type: string; number: string; title: string; data: Record<string, unknown> }): Promise<void> {
  const [prev] = await ctx.tx.query<{ version_hash: string }>('SELECT version_hash FROM record_version WHERE record_id = $1 AND version = $2', [record.id, record.version - 1]);
  const actorId = ctx.actor.id ?? '00000000-0000-0000-0000-000000000000';
  const hash = versionHash(prev?.version_hash ?? null, { recordId: record.id, version: record.version, status: record.status, contentHash: record.content_hash, changedBy: actorId, changedAt: ctx.now });
  await ctx.tx.query(
    `INSERT INTO record_version (record_id, version, status, content, content_hash, prev_hash, version_hash, changed_by, changed_by_name, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [record.id, record.version, record.status, JSON.stringify(contentOf(record)), record.content_hash, prev?.version_hash ?? null, hash, actorId, ctx.actor.fullName, ctx.now],
  );
}

export interface NewRecord {
  type: string;
  prefix: string;
  siteId: string;
  siteCode: string;
  title: string;
  status: string;
  ownerId: string;
  dueDate: string | null;
  data: Record<string, unknown>;
  /** A number drawn by the process itself (documents: SOP-QA-001); otherwise PREFIX-SITE-YEAR-NNNN. */
  number?: string;
}

/** Creates a controlled record with its first version and its creation audit entry. */
export async function createRecord(ctx: Ctx, input: NewRecord): Promise<RecordRow> {
  if (!ctx.actor.id) throw new DomainError('FORBIDDEN', 'Records are created by people');
  const id = randomUUID();
  const number = input.number ?? (await nextNumber(ctx, input.prefix, input.siteCode));
  const data = JSON.parse(JSON.stringify(input.data));
  const hash = contentHash({ type: input.type, number, title: input.title, data });
  await ctx.tx.query(
    `INSERT INTO record (id, type, number, site_id, title, status, owner_id, due_date, data, version, content_hash, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $12)`,
    [id, input.type, number, input.siteId, input.title, input.status, input.ownerId, input.dueDate, JSON.stringify(data), hash, ctx.actor.id, ctx.now],
  );
  await writeVersion(ctx, { id, version: 1, status: input.status, content_hash: hash, type: input.type, number, title: input.title, data });
  const changes: FieldChange[] = [
    { field: 'number', old: null, new: number },
    { field: 'title', old: null, new: input.title },
    { field: 'status', old: null, new: input.status },
    { field: 'site', old: null, new: input.siteCode },
    { field: 'dueDate', old: null, new: input.dueDate },
    ...Object.entries(data).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)).map(([field, v]) => ({ field, old: null, new: v })),
  ];
  await appendAudit(ctx, { entityType: input.type, entityId: id, action: 'record.created', changes, details: { number, version: 1, contentHash: hash } });
  return (await getRecord(ctx.tx, id)) as RecordRow;
}

export interface RecordChange {
  title?: string;
  dueDate?: string | null;
  status?: string;
  data?: Record<string, unknown>;
}

/** Field-level differences between a record and a change to it. */
export function diff(record: RecordRow, change: RecordChange): FieldChange[] {
  const changes: FieldChange[] = [];
  const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
  if (change.status !== undefined && change.status !== record.status) changes.push({ field: 'status', old: record.status, new: change.status });
  if (change.title !== undefined && change.title !== record.title) changes.push({ field: 'title', old: record.title, new: change.title });
  if (change.dueDate !== undefined && !same(change.dueDate, record.due_date)) changes.push({ field: 'dueDate', old: record.due_date, new: change.dueDate });
  for (const [field, value] of Object.entries(change.data ?? {})) {
    if (value !== undefined && !same(value, record.data[field])) changes.push({ field, old: record.data[field] ?? null, new: value });
  }
  return changes;
}

/**
 * Applies a change to a locked record at the version the caller read: a stale version is a 409,
 * never a silent overwrite. Writes the new version and one audit entry with old and new values.
 */
export async function applyChange(
  ctx: Ctx,
  record: RecordRow,
  expectedVersion: number,
  change: RecordChange,
  audit: { action: 'record.updated' | 'record.transitioned'; reason?: string | null; details?: Record<string, unknown> },
): Promise<{ record: RecordRow; changes: FieldChange[] }> {
  if (record.version !== expectedVersion) {
    throw new DomainError('VERSION_CONFLICT', `${record.number} is at version ${record.version}, you edited version ${expectedVersion}; reload and apply your change again`, [{ path: 'version', message: 'is stale' }]);
  }
  const changes = diff(record, change);
  if (changes.length === 0 && audit.action === 'record.updated') return { record, changes };
  const data = { ...record.data, ...Object.fromEntries(Object.entries(change.data ?? {}).filter(([, v]) => v !== undefined)) };
  const title = change.title ?? record.title;
  const status = change.status ?? record.status;
  const dueDate = change.dueDate !== undefined ? change.dueDate : record.due_date;
  const hash = contentHash({ type: record.type, number: record.number, title, data });
  const version = record.version + 1;
  const updated = await ctx.tx.query(
    `UPDATE record SET title = $3, status = $4, due_date = $5, data = $6, version = $7, content_hash = $8, updated_at = $9
     WHERE id = $1 AND version = $2 RETURNING id`,
    [record.id, expectedVersion, title, status, dueDate, JSON.stringify(data), version, hash, ctx.now],
  );
  if (updated.length === 0) throw new DomainError('VERSION_CONFLICT', `${record.number} was changed by someone else; reload`, [{ path: 'version', message: 'is stale' }]);
  await writeVersion(ctx, { id: record.id, version, status, content_hash: hash, type: record.type, number: record.number, title, data });
  await appendAudit(ctx, {
    entityType: record.type,
    entityId: record.id,
    action: audit.action,
    reason: audit.reason,
    changes,
    details: { ...audit.details, version, contentHash: hash },
  });
  return { record: (await getRecord(ctx.tx, record.id)) as RecordRow, changes };
}

export async function versionsOf(db: Queryable, recordId: string) {
  const rows = await db.query<{ version: number; status: string; content_hash: string; prev_hash: string | null; content: Record<string, unknown>; changed_by_name: string; changed_at: Date }>(
    'SELECT version, status, content_hash, prev_hash, content, changed_by_name, changed_at FROM record_version WHERE record_id = $1 ORDER BY version',
    [recordId],
  );
  return rows.map((r) => ({ version: r.version, status: r.status, contentHash: r.content_hash, prevHash: r.prev_hash, content: r.content, changedByName: r.changed_by_name, changedAt: r.changed_at.toISOString() }));
}

/** Verifies every record's stored content hash and version chain (11.10(a)); names each altered record. */
export async function verifyRecords(db: Queryable, batchSize = 2000): Promise<{ checked: number; problems: { recordId: string; version: number | null; detail: string }[] }> {
  const problems: { recordId: string; version: number | null; detail: string }[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  let checked = 0;
  for (;;) {
    const rows = await db.query<{ id: string; type: string; number: string; title: string; data: Record<string, unknown>; version: number; content_hash: string; v_hash: string | null; v_version: number | null }>(
      `SELECT r.id, r.type, r.number, r.title, r.data, r.version, r.content_hash, v.content_hash AS v_hash, v.version AS v_version
         FROM record r LEFT JOIN record_version v ON v.record_id = r.id AND v.version = r.version
        WHERE r.id > $1 ORDER BY r.id LIMIT $2`,
      [after, batchSize],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      checked++;
      const recomputed = contentHash(r);
      if (recomputed !== r.content_hash || r.v_hash !== r.content_hash) {
        problems.push({ recordId: r.id, version: r.version, detail: `${r.number} version ${r.version} was altered outside the application: its content no longer matches its recorded hash` });
      }
    }
    after = rows[rows.length - 1].id;
  }
  return { checked, problems };
}
