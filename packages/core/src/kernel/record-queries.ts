import type { ListQuery, RecordSummary } from '@verity/contracts';
import type { Actor } from '../context.js';
import type { Queryable } from '../db/database.js';
import { DomainError } from '../errors.js';
import { can, readableSites } from '../identity/access.js';
import type { RecordRow } from './records.js';
import type { WorkflowDefinition } from './workflow.js';

const summaryColumns = `r.id, r.type, r.number, r.title, r.status, s.code AS site_code, r.owner_id, u.full_name AS owner_name, r.due_date, r.version, r.created_at, r.updated_at`;

type SummaryRow = Pick<RecordRow, 'id' | 'type' | 'number' | 'title' | 'status' | 'site_code' | 'owner_id' | 'owner_name' | 'due_date' | 'version' | 'created_at' | 'updated_at'>;

/** Today's date in UTC as YYYY-MM-DD. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function toSummary(row: SummaryRow, workflow: WorkflowDefinition, now: Date): RecordSummary {
  const state = workflow.states[row.status];
  return {
    id: row.id,
    type: row.type,
    number: row.number,
    title: row.title,
    status: row.status,
    statusLabel: state?.label ?? row.status,
    siteCode: row.site_code,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    dueDate: row.due_date,
    overdue: Boolean(row.due_date && !state?.final && row.due_date < isoDay(now)),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const sorts = {
  updatedAt: { expression: 'r.updated_at', cast: 'timestamptz' },
  number: { expression: 'r.number', cast: 'text' },
  dueDate: { expression: "COALESCE(r.due_date, DATE '9999-12-31')", cast: 'date' },
} as const;

function decodeCursor(cursor: string): { v: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed.v === 'string' && typeof parsed.id === 'string' && /^[0-9a-f-]{36}$/.test(parsed.id)) return parsed;
  } catch {
    // fall through to the error below
  }
  throw new DomainError('VALIDATION_FAILED', 'The cursor is not valid', [{ path: 'cursor', message: 'is not a cursor this server issued' }]);
}

/**
 * A page of records of one type that the actor may read, filtered and sorted, with keyset
 * pagination on (sort key, id) so that every page is an index range scan.
 */
export async function listRecords(db: Queryable, actor: Actor, workflow: WorkflowDefinition, query: ListQuery, now: Date) {
  const sites = readableSites(actor, workflow.type);
  if (sites.length === 0) return { items: [], nextCursor: null, total: 0 };
  const descending = query.sort.startsWith('-');
  const sort = sorts[query.sort.replace('-', '') as keyof typeof sorts];
  const params: unknown[] = [workflow.type, sites];
  const where = ['r.type = $1', 'r.site_id = ANY($2::uuid[])'];
  if (query.status) {
    params.push(query.status);
    where.push(`r.status = $${params.length}`);
  }
  if (query.site) {
    params.push(query.site);
    where.push(`s.code = $${params.length}`);
  }
  if (query.mine && actor.id) {
    params.push(actor.id);
    where.push(`r.owner_id = $${params.length}`);
  }
  if (query.q) {
    params.push(query.q);
    where.push(`(r.search @@ websearch_to_tsquery('english', $${params.length}) OR r.number ILIKE '%' || $${params.length} || '%')`);
  }
  const filterParams = [...params];
  const filter = where.join(' AND ');
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    params.push(cursor.v, cursor.id);
    where.push(`(${sort.expression}, r.id) ${descending ? '<' : '>'} ($${params.length - 1}::${sort.cast}, $${params.length}::uuid)`);
  }
  params.push(query.limit + 1);
  const direction = descending ? 'DESC' : 'ASC';
  const rows = await db.query<SummaryRow & { sort_value: string }>(
    `SELECT ${summaryColumns}, (${sort.expression})::text AS sort_value
       FROM record r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.owner_id
      WHERE ${where.join(' AND ')}
      ORDER BY ${sort.expression} ${direction}, r.id ${direction}
      LIMIT $${params.length}`,
    params,
  );
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM (SELECT 1 FROM record r JOIN site s ON s.id = r.site_id WHERE ${filter} LIMIT 10001) t`,
    filterParams,
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const sortValue = last && (sort.cast === 'timestamptz' ? last.updated_at.toISOString() : last.sort_value);
  return {
    items: page.map((r) => toSummary(r, workflow, now)),
    nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify({ v: sortValue, id: last.id })).toString('base64url') : null,
    total,
  };
}

/** Full-text search over every record the actor may read, best matches first. */
export async function searchRecords(db: Queryable, actor: Actor, workflows: WorkflowDefinition[], q: string, limit: number, now: Date) {
  const scopes = workflows.map((w) => ({ workflow: w, sites: readableSites(actor, w.type) })).filter((s) => s.sites.length > 0);
  if (scopes.length === 0 || q.trim() === '') return [];
  const params: unknown[] = [q];
  const clauses = scopes.map((s) => {
    const pointOfUse = s.workflow.pointOfUse;
    if (!pointOfUse) {
      params.push(s.workflow.type, s.sites);
      return `(r.type = $${params.length - 1} AND r.site_id = ANY($${params.length}::uuid[]))`;
    }
    params.push(s.workflow.type, s.sites.filter((site) => pointOfUse.seesAll(actor, site)), s.sites, pointOfUse.states);
    const n = params.length;
    return `(r.type = $${n - 3} AND (r.site_id = ANY($${n - 2}::uuid[]) OR (r.site_id = ANY($${n - 1}::uuid[]) AND r.status = ANY($${n}::text[]))))`;
  });
  params.push(limit);
  const rows = await db.query<SummaryRow & { rank: number; snippet: string | null }>(
    `SELECT ${summaryColumns}, ts_rank(r.search, websearch_to_tsquery('english', $1)) AS rank,
            ts_headline('english', coalesce(r.data->>'description', r.title), websearch_to_tsquery('english', $1), 'MaxWords=25, MinWords=10') AS snippet
       FROM record r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.owner_id
      WHERE (${clauses.join(' OR ')}) AND (r.search @@ websearch_to_tsquery('english', $1) OR r.number ILIKE '%' || $1 || '%')
      ORDER BY rank DESC, r.updated_at DESC LIMIT $${params.length}`,
    params,
  );
  const byType = new Map(workflows.map((w) => [w.type, w]));
  return rows.map((r) => ({ ...toSummary(r, byType.get(r.type) as WorkflowDefinition, now), rank: Number(r.rank), snippet: r.snippet }));
}

/** Records in a state where the actor holds the permission for one of its transitions: candidates for "my tasks". */
export async function candidateTasks(db: Queryable, actor: Actor, workflow: WorkflowDefinition, limit = 200): Promise<RecordRow[]> {
  const clauses: string[] = [];
  const params: unknown[] = [workflow.type];
  for (const t of workflow.transitions) {
    const sites = [...new Set(actor.roles.map((g) => g.siteId))].filter((siteId) => can(actor, t.permission, siteId));
    if (sites.length === 0) continue;
    params.push(t.from, sites);
    clauses.push(`(r.status = ANY($${params.length - 1}::text[]) AND r.site_id = ANY($${params.length}::uuid[]))`);
  }
  if (clauses.length === 0) return [];
  params.push(limit);
  return db.query<RecordRow>(
    `SELECT r.id, r.type, r.number, r.site_id, s.code AS site_code, r.title, r.status, r.owner_id, u.full_name AS owner_name,
            r.due_date, r.data, r.version, r.content_hash, r.created_by, r.created_at, r.updated_at
       FROM record r JOIN site s ON s.id = r.site_id JOIN app_user u ON u.id = r.owner_id
      WHERE r.type = $1 AND (${clauses.join(' OR ')})
      ORDER BY COALESCE(r.due_date, DATE '9999-12-31'), r.id LIMIT $${params.length}`,
    params,
  );
}
