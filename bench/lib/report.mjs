// The results as a table on the console and as the generated part of docs/PERFORMANCE.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const ms = (v) => (v === undefined || Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
const int = (n) => n.toLocaleString('en');
const verdict = (value, target) => (target === null ? '(recorded)' : value < target ? 'met' : '**missed**');

/** Rows of the results table: what, target, p50, p95, p99, throughput, verdict. */
export function resultRows({ matrix, approvals, evidence, evidenceOpen }) {
  const rows = matrix.results.map((r) => [
    `${r.label}, ${r.concurrency === 1 ? 'sequential' : `${r.concurrency} concurrent`} (${r.stats.n} requests)`,
    r.target === null ? '—' : `p95 < ${r.target} ms`,
    ms(r.stats.p50), ms(r.stats.p95), ms(r.stats.p99), `${r.stats.rps.toFixed(1)} req/s`,
    r.stats.cpuPerRequest ? `${ms(r.stats.cpuPerRequest.server)} + ${ms(r.stats.cpuPerRequest.postgres)}` : '', verdict(r.stats.p95, r.target),
  ]);
  const median = (key) => approvals.map((a) => a[key]).sort((a, b) => a - b)[Math.floor(approvals.length / 2)];
  const samples = (key) => approvals.map((a) => ms(a[key])).join(', ');
  rows.push([`POST …/transitions approve: assigns ${int(approvals[0].assigned)} people + effective, median of ${approvals.length} (${samples('approveMs')})`, '< 5 s', ms(median('approveMs')), '', '', '', '', verdict(median('approveMs'), 5000)]);
  rows.push([`PUT /documents/:id/distribution to the job function of ${int(approvals[0].assigned)} people (draft: needs only), median (${samples('distributeMs')})`, '—', ms(median('distributeMs')), '', '', '', '', '(recorded)']);
  const evidenceRow = (label, e, target) => [`${label} (${e.samples.map(ms).join(', ')})`, target ? '< 3 s' : '—', ms(e.median), '', '', '', '', target ? verdict(e.median, 3000) : '(recorded)'];
  const n = int(approvals[0].assigned);
  rows.push(evidenceRow(`GET …/training.pdf, ${n} trainees (80% signed), median of 5, ${int(evidence.pdf.bytes)} bytes`, evidence.pdf, true));
  rows.push(evidenceRow(`GET …/training.csv, ${n} trainees, median of 5, ${int(evidence.csv.bytes)} bytes`, evidence.csv, true));
  rows.push(evidenceRow(`GET …/training (JSON), ${n} trainees, median of 5`, evidence.json, false));
  if (evidenceOpen) rows.push(evidenceRow(`GET …/training.pdf right after approval (${n} open), median of 5`, evidenceOpen.pdf, true));
  rows.push(evidenceRow(`GET /document-revisions/:id of that revision (${int(evidence.signatures)} training signatures), median of 5`, evidence.revision, false));
  return rows;
}

export function markdownTable(header, rows) {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function consoleTable(rows) {
  const header = ['what', 'target', 'p50/median', 'p95', 'p99', 'throughput', 'CPU/request', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).replace(/\*\*/g, '').length)));
  const line = (cells) => cells.map((c, i) => String(c).replace(/\*\*/g, '').padEnd(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function planFacts(plan) {
  return [
    `execution ${plan.executionMs.toFixed(1)} ms`,
    `planning ${plan.planningMs.toFixed(1)} ms`,
    plan.jitMs ? `JIT ${plan.jitMs.toFixed(1)} ms` : null,
    `buffers ${int(plan.sharedHit ?? 0)} hit, ${int(plan.sharedRead ?? 0)} read${plan.tempBlocks ? `, ${int(plan.tempBlocks)} temp` : ''}`,
    `sequential scans of large tables: ${plan.seqScans.length ? plan.seqScans.join('; ') : 'none'}`,
  ].filter(Boolean);
}

function planSection(plans) {
  return plans
    .map(({ title, result }) => {
      const statements = result.statements.map(({ statement, plan, error }) =>
        error ? `\`${statement.replace(/`/g, "'")}\`: fails: ${error}.` : `\`${statement.replace(/`/g, "'")}\`: ${planFacts(plan).join(', ')}.\n\n\`\`\`\n${plan.tree.join('\n')}\n\`\`\``,
      );
      const fast = result.fast ? `\n\n${result.fast} other read-only statement(s) of this request took under 1 ms each.` : '';
      const failure = result.failure ? `**The server ${result.failure}**\n\n` : '';
      return `#### ${title}\n\n\`GET ${result.path}\`\n\n${failure}${statements.join('\n\n')}${fast}`;
    })
    .join('\n\n');
}

/** The generated part of the section "Document control and training". */
export function sectionBody({ meta, counts, generationSeconds, consistency, rows, plans, approvals, simulated }) {
  return [
    `Measured on ${meta.date} (commit ${meta.commit}) on a ${meta.cores}-core machine (${meta.cpu}, ${meta.memoryGb} GB RAM) with Node ${meta.node} and ${meta.postgres} on the same machine with its`,
    `default settings (${meta.pgSettings}); the server, PostgreSQL and the load generator share the ${meta.cores} cores. Requests go over loopback with one`,
    'session cookie; latency is measured by the client until the whole body is read. Matrix requests use random cursors and filters (after a warm-up).',
    'CPU per request is the CPU time of the server process and of the PostgreSQL backends of the database (parallel query workers not counted) divided by',
    'the requests: unlike latency, it does not grow when other work shares the machine.',
    '',
    `**Data** (generated with set-based SQL in ${generationSeconds.toFixed(0)} s, then \`VACUUM ANALYZE\`): ${int(counts.users)} people in 5 sites, 10 departments and 50 job`,
    `functions; ${int(counts.documents)} controlled documents with ${int(counts.records - counts.documents)} revisions (every third document on its second); ${int(counts.needs)} training needs`,
    `(${counts.min_needs}–${counts.max_needs} documents per person); ${int(counts.assignments)} assignments (${int(counts.current)} current: 80% completed, 10% open, 7% overdue, 3% missing);`,
    `${int(counts.ledger)} ledger rows; ${int(counts.signatures)} signatures. Database ${counts.database_size} (training_assignment ${counts.assignment_size}, training_need ${counts.need_size} with indexes).`,
    `Consistency check through the API: ${consistency}.`,
    '',
    `**Approval**: ${approvals.length} new SOP(s) created through the API by an author, distributed to the job function GMP-CORE (${int(approvals[0].assigned)} people),`,
    'signed for review, reviewed and approved with effect now by three different people (real passwords, identity verified by an administrator).',
    `Evidence: after the first approval, ${int(simulated.completed)} of its trainees were given a sealed "read and understood" signature directly in the`,
    `database (${int(simulated.overdue)} made overdue, ${int(simulated.open)} left open), standing in for ${int(approvals[0].assigned)} people signing.`,
    `Load average of the machine (1 min) before the measurements: ${meta.loadBefore}; after: ${meta.loadAfter}.`,
    '',
    markdownTable(['what', 'target', 'p50 / median', 'p95', 'p99', 'throughput', 'CPU per request: server + PostgreSQL', 'verdict'], rows),
    '',
    '### Query plans',
    '',
    'The statements the server sent for each request, recorded in the server process and re-run with the same parameters under',
    'EXPLAIN (ANALYZE, BUFFERS) (second run shown); statements of the request under 1 ms are only counted. In the trees, rows=R×L',
    'means R rows in each of L loops, and a time "per loop" is the average of one loop.',
    '',
    planSection(plans),
  ].join('\n');
}

const heading = '## Document control and training';
const start = '<!-- bench:training:start: written by `npm run bench:training`; text outside these markers is kept -->';
const end = '<!-- bench:training:end -->';
const intro = `# Performance

Measured figures of Verity and how to reproduce them. Each section names the command that measured
it; run it on a quiet machine (figures below come from this project's 2-core machine).

- Document control and training: \`npm run bench:training\` (needs PostgreSQL 15+ at 127.0.0.1:5432,
  user postgres; set \`BENCH_PG_URL\` otherwise). It creates a database \`verity_bench_<timestamp>\`,
  generates 10,000 people and 500 documents, starts the real server, measures, and drops the database.
- Start-up time and memory: \`node bench/startup.mjs 3\` (figures in the README).
`;

/** Writes the generated part of the section, creating the file or the section when missing. */
export function updatePerformanceDoc(file, body) {
  const block = `${start}\n${body}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : intro;
  if (text.includes(start) && text.includes(end)) {
    text = text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length);
  } else if (text.includes(heading)) {
    const at = text.indexOf(heading) + heading.length;
    text = `${text.slice(0, at)}\n\n${block}\n${text.slice(at)}`;
  } else {
    text = `${text.trimEnd()}\n\n${heading}\n\n${block}\n`;
  }
  writeFileSync(file, text);
}
