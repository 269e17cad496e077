// Document control and training at scale: the training matrix for 10,000 people x 500 documents,
// approving a revision that assigns training to 5,000 people, and the training evidence of 5,000
// trainees, against the real server on a fresh PostgreSQL database. Prints a results table and
// writes the section "Document control and training" of docs/PERFORMANCE.md.
//
//   npm run bench:training [-- --requests 200 --concurrency 4 --budget-seconds 90 --keep-db --cpu-prof --no-write]
//
// Each matrix run sends --requests requests, or fewer (at least 30) once --budget-seconds have passed.
//
// PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), a role that may
// create databases. The database verity_bench_<timestamp> is dropped at the end unless --keep-db.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { explainRequest } from './lib/explain.mjs';
import { Client, cli, createDatabase, dropDatabase, freePort, repoRoot, startServer } from './lib/harness.mjs';
import { coreFunction, generateOrganisation } from './lib/organisation.mjs';
import { consoleTable, resultRows, sectionBody, updatePerformanceDoc } from './lib/report.mjs';
import { approveDistributedRevision, benchEvidence, benchMatrix, checkConsistency, createActors, simulateTraining } from './lib/scenarios.mjs';

const { values: options } = parseArgs({
  options: {
    people: { type: 'string', default: '10000' },
    documents: { type: 'string', default: '500' },
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '20' },
    'budget-seconds': { type: 'string', default: '90' },
    approvals: { type: 'string', default: '3' },
    'keep-db': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});
const size = { people: Number(options.people), documents: Number(options.documents) };
const fullSize = size.people === 10000 && size.documents === 500;
const log = (...args) => console.log(...args);
const password = 'Signing-pass-for-benchmarks-2026';

const adminUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `verity_bench_${Date.now()}`;
const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();
const dataDir = mkdtempSync(join(tmpdir(), 'verity-bench-training-'));
const profileDir = join(dataDir, 'cpu-profiles');
const { privateKey } = generateKeyPairSync('ed25519');
const keyFile = join(dataDir, 'instance-key.pem');
writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
let server;
const env = {
  ...process.env,
  DATABASE_URL: dbUrl,
  VERITY_DATA_DIR: dataDir,
  VERITY_KEY_FILE: keyFile,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  VERITY_LOGIN_RATE_LIMIT: '1000',
  VERITY_SESSION_IDLE_MINUTES: '240',
};

async function machine(db) {
  const settings = (await db.query("SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit', 'random_page_cost', 'effective_cache_size')")).rows;
  const show = (name) => {
    const s = settings.find((r) => r.name === name);
    if (s.unit === '8kB') return `${name} ${Math.round((Number(s.setting) * 8) / 1024)} MB`;
    if (s.unit === 'kB') return `${name} ${Math.round(Number(s.setting) / 1024)} MB`;
    return `${name} ${s.setting}`;
  };
  const [{ version }] = (await db.query('SELECT version()')).rows;
  const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  return {
    commit: `${git('rev-parse', '--short=12', 'HEAD')}${git('status', '--porcelain', '--', 'packages/core', 'packages/server', 'packages/contracts').length ? ' with uncommitted server changes' : ''}`,
    date: new Date().toISOString().slice(0, 10),
    cores: cpus().length,
    cpu: cpus()[0].model.replace(/\s+/g, ' ').trim(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.versions.node,
    postgres: version.split(' on ')[0],
    pgSettings: ['shared_buffers', 'effective_cache_size', 'work_mem', 'random_page_cost', 'jit'].map(show).join(', '),
  };
}

/** EXPLAIN of what the server ran for the matrix pages, the summaries and the evidence. */
async function explainAll(db, server, reader, evidenceRevisionId, trainees) {
  const [someone] = (await db.query("SELECT full_name, id FROM app_user WHERE active AND username LIKE 'p%' ORDER BY full_name, id OFFSET (SELECT count(*) / 2 FROM app_user) LIMIT 1")).rows;
  const cursor = Buffer.from(JSON.stringify([someone.full_name, someone.id])).toString('base64url');
  const requests = [
    ['Matrix page, no filter, cursor in the middle', `/api/v1/training/matrix?cursor=${cursor}`],
    ['Matrix page, department filter, first page', '/api/v1/training/matrix?department=QC'],
    ['Matrix page, status=overdue, cursor in the middle', `/api/v1/training/matrix?status=overdue&cursor=${cursor}`],
    ['Matrix page, status=failed: nobody has failed training (a status few people have)', '/api/v1/training/matrix?status=failed'],
    ['Matrix page, status=missing, cursor in the middle', `/api/v1/training/matrix?status=missing&cursor=${cursor}`],
    ['Matrix summary, everyone', '/api/v1/training/matrix/summary'],
    ['Matrix summary, one department', '/api/v1/training/matrix/summary?department=QC'],
    [`Training evidence of the ${trainees.toLocaleString('en')}-trainee revision (JSON; the PDF and CSV run the same query)`, `/api/v1/document-revisions/${evidenceRevisionId}/training`],
  ];
  const out = [];
  for (const [title, path] of requests) out.push({ title, result: await explainRequest(db, server, reader, path) });
  return out;
}

async function main() {
  log(`Database ${dbName}, data folder ${dataDir}`);
  // Interrupted: still stop the server and drop the database.
  process.once('SIGINT', async () => {
    await server?.stop();
    if (!options['keep-db']) await dropDatabase(adminUrl, dbName).catch(() => undefined);
    process.exit(130);
  });
  await createDatabase(adminUrl, dbName);
  const db = new pg.Client({ connectionString: dbUrl });
  try {
    cli(['migrate'], env);
    await db.connect();
    log(`Generating ${size.people.toLocaleString('en')} people and ${size.documents} documents:`);
    const generationStarted = performance.now();
    const generated = await generateOrganisation(db, { size, now: new Date(), keyId: 'generated', log });
    const generationSeconds = (performance.now() - generationStarted) / 1000;
    log(`  ${JSON.stringify(generated.counts)}`);
    const adminPassword = 'Administer-the-benchmark-2026';
    cli(['admin', 'create', '--username', 'bench.admin', '--name', 'Bench Administrator', '--site', 'BER'], { ...env, VERITY_ADMIN_PASSWORD: adminPassword });
    const nodeOptions = options['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    server = await startServer({ env, port: await freePort(), logFile: join(dataDir, 'server.log'), nodeOptions, sqlLog: join(dataDir, 'statements.jsonl') });
    log(`Server at ${server.baseUrl} (pid ${server.pid})`);

    const admin = new Client(server.baseUrl);
    await admin.login('bench.admin', adminPassword);
    const actors = await createActors(server.baseUrl, admin, password);
    const consistency = await checkConsistency(actors.reader.client, db, generated);
    log(`Consistency: ${consistency}`);

    const loadBefore = loadavg()[0].toFixed(2);
    if (loadavg()[0] > 1) log(`Warning: load average ${loadBefore} on ${cpus().length} cores: something else is running; figures will be slower than on a quiet machine.`);
    log('Training matrix:');
    // CPU per request of the server process and of the PostgreSQL backends of this database (parallel workers, short-lived, are not counted).
    const backends = async () => (await db.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()")).rows.map((r) => r.pid);
    const meters = { server: async () => [server.pid], postgres: backends };
    const matrix = await benchMatrix(actors.reader.client, db, { meters, requests: Number(options.requests), concurrency: Number(options.concurrency), warmup: Number(options.warmup), budgetMs: Number(options['budget-seconds']) * 1000, log });

    log(`Approvals (distributed to ${coreFunction.code}, ${generated.counts.core_people} people):`);
    const approvals = [];
    for (let i = 1; i <= Number(options.approvals); i++) {
      const a = await approveDistributedRevision(actors, { coreFunctionId: generated.coreFunctionId, expectedAssigned: generated.counts.core_people, index: i, db });
      approvals.push(a);
      log(`  ${a.number}: approve ${a.approveMs.toFixed(0)} ms (${a.assigned} assigned); create ${a.createMs.toFixed(0)} ms, distribute ${a.distributeMs.toFixed(0)} ms, submit ${a.submitMs.toFixed(0)} ms, review ${a.reviewMs.toFixed(0)} ms`);
    }

    // Before anything analyzes the new assignments: the statistics do not know the new revisions yet, as in production right after an approval.
    const last = approvals[approvals.length - 1];
    const justApproved = {
      title: `Revision page of a revision just approved for ${approvals[0].assigned.toLocaleString('en')} people (the approval answers with the same page), before the statistics know its assignments`,
      result: await explainRequest(db, server, actors.reader.client, `/api/v1/document-revisions/${last.revisionId}`),
    };

    const evidenceRevision = approvals[0].revisionId;
    log('Training evidence:');
    const evidenceOpen = await benchEvidence(actors.reader.client, evidenceRevision, 5);
    log(`  right after approval: PDF ${evidenceOpen.pdf.median.toFixed(0)} ms (${evidenceOpen.pdf.bytes} bytes), CSV ${evidenceOpen.csv.median.toFixed(0)} ms`);
    const simulated = await simulateTraining(db, evidenceRevision, privateKey);
    const evidence = { ...(await benchEvidence(actors.reader.client, evidenceRevision, 5)), signatures: simulated.completed };
    log(`  after ${simulated.completed} signed: PDF ${evidence.pdf.median.toFixed(0)} ms (${evidence.pdf.bytes} bytes), CSV ${evidence.csv.median.toFixed(0)} ms, JSON ${evidence.json.median.toFixed(0)} ms, revision page ${evidence.revision.median.toFixed(0)} ms`);

    log('Query plans:');
    const plans = [...(await explainAll(db, server, actors.reader.client, evidenceRevision, approvals[0].assigned)), justApproved];
    for (const { title, result } of plans) {
      if (result.failure) log(`  ${title}: the server ${result.failure}`);
      for (const { statement, plan, error } of result.statements) {
        log(`  ${title}: ${error ? `fails: ${error}` : `${plan.executionMs.toFixed(1)} ms${plan.seqScans.length ? `, sequential scan of ${plan.seqScans.join('; ')}` : ''}`}: ${statement.slice(0, 60)}`);
      }
    }

    const rows = resultRows({ matrix, approvals, evidence, evidenceOpen });
    log(`\n${consoleTable(rows)}\n`);
    const meta = { ...(await machine(db)), loadBefore, loadAfter: loadavg()[0].toFixed(2) };
    const body = sectionBody({ meta, counts: generated.counts, generationSeconds, consistency, rows, plans, approvals, simulated });
    if (!options['no-write'] && fullSize) {
      updatePerformanceDoc(join(repoRoot, 'docs/PERFORMANCE.md'), body);
      log('Written to docs/PERFORMANCE.md (section "Document control and training").');
    } else {
      writeFileSync(join(dataDir, 'PERFORMANCE-section.md'), body);
      log(`Not written to docs/PERFORMANCE.md (${fullSize ? '--no-write' : 'not the full data set'}); the section is in ${join(dataDir, 'PERFORMANCE-section.md')}.`);
    }
  } finally {
    await server?.stop();
    await db.end().catch(() => undefined);
    if (options['keep-db']) log(`Kept database ${dbName} (${dbUrl}) and ${dataDir}; drop it with: psql -c 'DROP DATABASE ${dbName}'`);
    else await dropDatabase(adminUrl, dbName);
    if (options['cpu-prof']) log(`Server CPU profile(s) in ${profileDir}`);
    const keep = options['keep-db'] || options['cpu-prof'] || !fullSize || options['no-write'];
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    else if (!options['keep-db']) log(`Server log in ${join(dataDir, 'server.log')}: ${readFileSync(join(dataDir, 'server.log'), 'utf8').split('\n').length} lines`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
