// EXPLAIN (ANALYZE, BUFFERS) of the statements the server actually sent for a request: recorded in
// the server process (capture-sql.mjs), then re-run here with the same parameters, so the plans
// stay true whatever the current code of the queries is.
import { recordSql } from './harness.mjs';

/** Tables big enough that a sequential scan of them in an interactive query is a finding. */
const largeRows = 5000;
/** Statements faster than this are counted, not shown. */
const shownFromMs = 1;

function walk(node, depth, lines, seqScans, sizes) {
  const relation = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const extra = [node['Sort Method'] ? `sort: ${node['Sort Method']}` : null, node['Rows Removed by Filter'] ? `removed by filter ${node['Rows Removed by Filter']}` : null].filter(Boolean);
  // Rows and time are per loop, as PostgreSQL reports them: rows=R×L is R rows in each of L loops.
  const loops = node['Actual Loops'];
  lines.push(
    `${'  '.repeat(depth)}${node['Node Type']}${node['Join Type'] && node['Node Type'] !== 'Hash' ? ` (${node['Join Type']})` : ''}${relation}${index}  rows=${node['Actual Rows']}×${loops}  ${node['Actual Total Time']?.toFixed(loops > 1 ? 3 : 1)} ms${loops > 1 ? ' per loop' : ''}${extra.length ? `  (${extra.join(', ')})` : ''}`,
  );
  if (node['Node Type'] === 'Seq Scan' && (sizes.get(node['Relation Name']) ?? 0) >= largeRows) {
    seqScans.push(`${node['Relation Name']} (${sizes.get(node['Relation Name']).toLocaleString('en')} rows, scanned ${node['Actual Loops']}×)`);
  }
  for (const child of node.Plans ?? []) walk(child, depth + 1, lines, seqScans, sizes);
}

/** Runs EXPLAIN (ANALYZE, BUFFERS) twice (the first warms the cache) and summarises the second. */
export async function explain(db, { sql, params }) {
  const sizes = new Map((await db.query("SELECT relname, reltuples::bigint AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")).rows.map((r) => [r.relname, Number(r.n)]));
  const text = `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`;
  await db.query(text, params);
  const [{ 'QUERY PLAN': [plan] }] = (await db.query(text, params)).rows;
  const lines = [];
  const seqScans = [];
  walk(plan.Plan, 0, lines, seqScans, sizes);
  return {
    executionMs: plan['Execution Time'],
    planningMs: plan['Planning Time'],
    jitMs: plan.JIT ? plan.JIT.Timing.Total : 0,
    sharedHit: plan.Plan['Shared Hit Blocks'],
    sharedRead: plan.Plan['Shared Read Blocks'],
    tempBlocks: (plan.Plan['Temp Read Blocks'] ?? 0) + (plan.Plan['Temp Written Blocks'] ?? 0),
    seqScans,
    tree: lines,
  };
}

/** Read-only statements of the request itself (not the job queue's polling, not locks). */
const explainable = (text) => /^\s*(SELECT|WITH)\b/i.test(text) && !/\bFOR (UPDATE|SHARE|NO KEY UPDATE)\b/i.test(text) && !/pgboss\./.test(text) && !/^\s*WITH[\s\S]*\b(INSERT|UPDATE|DELETE)\b/i.test(text);

/** The first words of a statement, on one line: its name in the report. */
const gist = (text) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 110 ? `${line.slice(0, 110)}…` : line;
};

/**
 * Sends one GET as `client`, records the statements the server sent for it, and EXPLAINs the
 * read-only ones. Returns those taking at least 1 ms, how many faster ones there were, and the
 * answer when it was not a success (the statement that failed is then among those recorded).
 */
export async function explainRequest(db, server, client, path) {
  let answer;
  const statements = await recordSql(server, async () => {
    answer = await client.get(path, { raw: true, expect: [200, 400, 404, 422, 500] });
  });
  const seen = new Set();
  const shown = [];
  let fast = 0;
  for (const s of statements) {
    if (!explainable(s.text) || seen.has(s.text)) continue;
    seen.add(s.text);
    let plan;
    try {
      plan = await explain(db, { sql: s.text, params: s.params });
    } catch (error) {
      shown.push({ statement: gist(s.text), error: error.message });
      continue;
    }
    if (plan.executionMs >= shownFromMs || plan.seqScans.length > 0) shown.push({ statement: gist(s.text), plan });
    else fast++;
  }
  const failure = answer.status === 200 ? null : `answered ${answer.status}: ${JSON.parse(answer.body.toString('utf8')).detail ?? ''}`;
  return { path: path.replace(/cursor=[^&]+/, 'cursor=…'), statements: shown, fast, failure };
}
