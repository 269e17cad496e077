import type { AuditEntry, VerifyResult } from '@verity/contracts';
import type { Ctx, Services } from '../context.js';
import type { Queryable } from '../db/database.js';
import type { AuditAction } from './audit-events.js';
import { canonicalJson, sha256 } from './canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

export interface AuditEvent {
  entityType: string;
  entityId: string;
  action: AuditAction;
  reason?: string | null;
  changes?: FieldChange[];
  /** Extra facts of the event (e.g. the workflow action); request context is added automatically. */
  details?: Record<string, unknown>;
}

interface EntryRow {
  seq: number;
  entity_type: string;
  entity_id: string;
  entity_seq: number;
  action: string;
  actor_id: string | null;
  actor_name: string;
  at: Date;
  reason: string | null;
  changes: FieldChange[];
  context: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** The hash of an entry: SHA-256 over the previous hash and the canonical JSON of its content. */
export function entryHash(prevHash: string, entry: Omit<EntryRow, 'seq' | 'prev_hash' | 'hash'>): string {
  return sha256(
    prevHash +
      canonicalJson({
        entityType: entry.entity_type,
        entityId: entry.entity_id,
        entitySeq: entry.entity_seq,
        action: entry.action,
        actorId: entry.actor_id,
        actorName: entry.actor_name,
        at: entry.at,
        reason: entry.reason,
        changes: entry.changes,
        context: entry.context,
      }),
  );
}

/**
 * Appends an audit entry in the caller's transaction, chained to the entity's previous entry.
 * The head row lock serialises writers of the same entity only.
 */
export async function appendAudit(ctx: Ctx, event: AuditEvent): Promise<void> {
  const { tx, actor, request, now } = ctx;
  await tx.query('INSERT INTO audit_head (entity_id, entity_seq, hash) VALUES ($1, 0, $2) ON CONFLICT (entity_id) DO NOTHING', [event.entityId, GENESIS_HASH]);
  const [head] = await tx.query<{ entity_seq: number; hash: string }>('SELECT entity_seq, hash FROM audit_head WHERE entity_id = $1 FOR UPDATE', [event.entityId]);
  const context = stripUndefined({
    ip: request.ip,
    userAgent: request.userAgent,
    requestId: request.requestId,
    authMethod: request.authMethod,
    ...event.details,
  });
  const entry = {
    entity_type: event.entityType,
    entity_id: event.entityId,
    entity_seq: head.entity_seq + 1,
    action: event.action,
    actor_id: actor.id,
    actor_name: actor.fullName,
    at: now,
    reason: event.reason ?? null,
    changes: normaliseJson(event.changes ?? []) as FieldChange[],
    context: normaliseJson(context) as Record<string, unknown>,
  };
  const hash = entryHash(head.hash, entry);
  await tx.query(
    `INSERT INTO audit_entry (entity_type, entity_id, entity_seq, action, actor_id, actor_name, at, reason, changes, context, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [entry.entity_type, entry.entity_id, entry.entity_seq, entry.action, entry.actor_id, entry.actor_name, entry.at, entry.reason, JSON.stringify(entry.changes), JSON.stringify(entry.context), head.hash, hash],
  );
  await tx.query('UPDATE audit_head SET entity_seq = $2, hash = $3 WHERE entity_id = $1', [event.entityId, entry.entity_seq, hash]);
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Round-trips a value through JSON so that what is hashed is exactly what jsonb stores and returns. */
function normaliseJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (v === undefined ? null : v)));
}

function toDto(row: EntryRow): AuditEntry {
  return {
    seq: row.seq,
    entitySeq: row.entity_seq,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    actorId: row.actor_id,
    actorName: row.actor_name,
    at: row.at.toISOString(),
    reason: row.reason,
    changes: row.changes,
    context: row.context,
    hash: row.hash,
  };
}

/** The audit trail of one entity, oldest first. */
export async function auditTrailOf(db: Queryable, entityId: string): Promise<AuditEntry[]> {
  const rows = await db.query<EntryRow>('SELECT * FROM audit_entry WHERE entity_id = $1 ORDER BY entity_seq', [entityId]);
  return rows.map(toDto);
}

/** Audit entries filtered by actor and time range, for export (11.10(b)). */
export async function searchAudit(db: Queryable, filter: { actorId?: string; from?: Date; to?: Date; limit: number; afterSeq?: number }): Promise<AuditEntry[]> {
  const rows = await db.query<EntryRow>(
    `SELECT * FROM audit_entry
      WHERE ($1::uuid IS NULL OR actor_id = $1) AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
        AND seq > $4
      ORDER BY seq LIMIT $5`,
    [filter.actorId ?? null, filter.from ?? null, filter.to ?? null, filter.afterSeq ?? 0, filter.limit],
  );
  return rows.map(toDto);
}

/** Merkle root over leaf hashes (pairs hashed left+right, an odd last node carried up). */
export function merkleRoot(leaves: string[]): string {
  if (leaves.length === 0) return GENESIS_HASH;
  let level = leaves;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha256(level[i] + level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

const leafOf = (seq: number, hash: string) => sha256(`${seq}:${hash}`);

function checkpointHash(prevHash: string, c: { fromSeq: number; toSeq: number; entryCount: number; merkleRoot: string }): string {
  return sha256(prevHash + canonicalJson(c));
}

/**
 * Seals the audit entries written since the last checkpoint into a new signed checkpoint.
 * Returns the number of entries sealed (0 when there was nothing new).
 */
export async function sealCheckpoint(services: Services): Promise<number> {
  // Under a SHARE lock no inserting transaction is in flight, so every entry up to max(seq) is committed.
  const [{ max }] = await services.db.transaction(async (tx) => {
    await tx.query('LOCK TABLE audit_entry IN SHARE MODE');
    return tx.query<{ max: number | null }>('SELECT max(seq)::int8 AS max FROM audit_entry');
  });
  if (max === null) return 0;
  return services.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7412)');
    const [last] = await tx.query<{ to_seq: number; hash: string }>('SELECT to_seq, hash FROM audit_checkpoint ORDER BY id DESC LIMIT 1');
    const fromSeq = (last?.to_seq ?? 0) + 1;
    if (fromSeq > max) return 0;
    const rows = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_entry WHERE seq BETWEEN $1 AND $2 ORDER BY seq', [fromSeq, max]);
    if (rows.length === 0) return 0;
    const body = { fromSeq, toSeq: max, entryCount: rows.length, merkleRoot: merkleRoot(rows.map((r) => leafOf(r.seq, r.hash))) };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = checkpointHash(prevHash, body);
    await tx.query(
      `INSERT INTO audit_checkpoint (from_seq, to_seq, entry_count, merkle_root, prev_hash, hash, key_id, signature, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [fromSeq, max, rows.length, body.merkleRoot, prevHash, hash, services.key.keyId, services.key.sign(hash), services.clock.now()],
    );
    return rows.length;
  });
}

type Problem = VerifyResult['problems'][number];

interface CheckpointRow {
  id: number;
  from_seq: number;
  to_seq: number;
  entry_count: number;
  merkle_root: string;
  prev_hash: string;
  hash: string;
  key_id: string;
  signature: string;
}

/**
 * Verifies the whole audit trail: every entry's hash, every entity's chain and head, every
 * checkpoint's Merkle root, chain and signature. Names each entry that was altered, removed or
 * inserted outside the application.
 */
export async function verifyAuditTrail(services: Services, batchSize = 5000): Promise<Omit<VerifyResult, 'recordsChecked'>> {
  const started = performance.now();
  const db = services.db;
  const problems: Problem[] = [];
  const chains = new Map<string, { seq: number; hash: string }>();
  const checkpoints = await db.query<CheckpointRow>('SELECT * FROM audit_checkpoint ORDER BY id');
  verifyCheckpointChain(services, checkpoints, problems);

  let cpIndex = 0;
  let leaves: string[] = [];
  const closeCheckpointsBefore = (seq: number) => {
    while (cpIndex < checkpoints.length && seq > checkpoints[cpIndex].to_seq) {
      checkMerkle(checkpoints[cpIndex], leaves, problems);
      leaves = [];
      cpIndex++;
    }
  };

  let afterSeq = 0;
  let entriesChecked = 0;
  for (;;) {
    const rows = await db.query<EntryRow>('SELECT * FROM audit_entry WHERE seq > $1 ORDER BY seq LIMIT $2', [afterSeq, batchSize]);
    if (rows.length === 0) break;
    for (const row of rows) {
      closeCheckpointsBefore(row.seq);
      if (cpIndex < checkpoints.length && row.seq >= checkpoints[cpIndex].from_seq) leaves.push(leafOf(row.seq, row.hash));
      checkEntry(row, chains, problems);
      entriesChecked++;
    }
    afterSeq = rows[rows.length - 1].seq;
  }
  closeCheckpointsBefore(Number.MAX_SAFE_INTEGER);

  const heads = await db.query<{ entity_id: string; entity_seq: number; hash: string }>('SELECT entity_id, entity_seq, hash FROM audit_head');
  for (const head of heads) {
    const chain = chains.get(head.entity_id);
    if (!chain && head.entity_seq === 0) continue;
    if (!chain || chain.seq !== head.entity_seq || chain.hash !== head.hash) {
      problems.push({
        kind: 'head-mismatch',
        entityId: head.entity_id,
        seq: null,
        entitySeq: head.entity_seq,
        detail: `the chain of ${head.entity_id} should end at entry #${head.entity_seq} but ends at #${chain?.seq ?? 0}: entries were removed or added outside the application`,
      });
    }
  }
  return {
    ok: problems.length === 0,
    entriesChecked,
    entitiesChecked: chains.size,
    checkpointsChecked: checkpoints.length,
    durationMs: Math.round(performance.now() - started),
    problems,
  };
}

function checkEntry(row: EntryRow, chains: Map<string, { seq: number; hash: string }>, problems: Problem[]): void {
  const chain = chains.get(row.entity_id) ?? { seq: 0, hash: GENESIS_HASH };
  const at = { entityId: row.entity_id, seq: row.seq, entitySeq: row.entity_seq };
  const recomputed = entryHash(row.prev_hash, { ...row, changes: row.changes, context: row.context });
  if (recomputed !== row.hash) {
    problems.push({ kind: 'entry-altered', ...at, detail: `entry seq ${row.seq} (#${row.entity_seq} of ${row.entity_type} ${row.entity_id}, ${row.action}) was altered after it was written` });
  }
  if (row.entity_seq > chain.seq + 1) {
    problems.push({ kind: 'entry-missing', ...at, detail: `entries #${chain.seq + 1}..#${row.entity_seq - 1} of ${row.entity_id} are missing before seq ${row.seq}` });
  } else if (row.entity_seq <= chain.seq) {
    problems.push({ kind: 'entry-inserted', ...at, detail: `entry seq ${row.seq} repeats or reorders #${row.entity_seq} of ${row.entity_id}` });
  } else if (row.prev_hash !== chain.hash) {
    problems.push({ kind: 'chain-broken', ...at, detail: `entry seq ${row.seq} (#${row.entity_seq} of ${row.entity_id}) does not link to the entry before it: an entry was inserted, removed or replaced` });
  }
  chains.set(row.entity_id, { seq: row.entity_seq, hash: row.hash });
}

function verifyCheckpointChain(services: Services, checkpoints: CheckpointRow[], problems: Problem[]): void {
  let prevHash = GENESIS_HASH;
  let expectedFrom = 1;
  for (const c of checkpoints) {
    const body = { fromSeq: c.from_seq, toSeq: c.to_seq, entryCount: c.entry_count, merkleRoot: c.merkle_root };
    const where = { entityId: null, seq: c.to_seq, entitySeq: null };
    if (c.prev_hash !== prevHash || c.from_seq !== expectedFrom || checkpointHash(c.prev_hash, body) !== c.hash) {
      problems.push({ kind: 'checkpoint-mismatch', ...where, detail: `checkpoint ${c.id} (seq ${c.from_seq}..${c.to_seq}) is not the one that was sealed, or the chain of checkpoints is broken` });
    }
    if (c.key_id !== services.key.keyId || !services.key.verify(c.hash, c.signature)) {
      problems.push({ kind: 'checkpoint-signature', ...where, detail: `checkpoint ${c.id} is not signed by this instance's key ${services.key.keyId}` });
    }
    prevHash = c.hash;
    expectedFrom = c.to_seq + 1;
  }
}

function checkMerkle(c: CheckpointRow, leaves: string[], problems: Problem[]): void {
  if (leaves.length !== c.entry_count || merkleRoot(leaves) !== c.merkle_root) {
    problems.push({
      kind: 'checkpoint-mismatch',
      entityId: null,
      seq: c.to_seq,
      entitySeq: null,
      detail: `entries seq ${c.from_seq}..${c.to_seq} no longer match signed checkpoint ${c.id} (${leaves.length} entries now, ${c.entry_count} sealed)`,
    });
  }
}
