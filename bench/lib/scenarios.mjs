// The benchmarked user actions: people who act through the API, the training matrix under load,
// approving a revision distributed to 5,000 people, and the training evidence of that revision.
import { randomUUID } from 'node:crypto';
import { Client } from './harness.mjs';
import { contentHash, instanceKey, sealedFields } from './canonical.mjs';
import { load, repeat } from './measure.mjs';
import { departments } from './organisation.mjs';

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const encodeCursor = (name, id) => Buffer.from(JSON.stringify([name, id])).toString('base64url');

/** Author, reviewer, approver (signers: identity verified by the administrator) and a read-only inspector, created through the API. */
export async function createActors(baseUrl, admin, password) {
  const actors = {};
  const roles = [
    ['author', 'bench.author', 'Bench Author', 'document_controller'],
    ['reviewer', 'bench.reviewer', 'Bench Reviewer', 'qa_reviewer'],
    ['approver', 'bench.approver', 'Bench Approver', 'qa_manager'],
    ['reader', 'bench.inspector', 'Bench Inspector', 'inspector'],
  ];
  for (const [key, username, fullName, role] of roles) {
    const { user, temporaryPassword } = (await admin.post('/api/v1/users', { username, fullName, email: `${username}@bench.example`, roles: [{ role, siteCode: 'BER' }] })).body;
    const client = new Client(baseUrl);
    await client.login(username, temporaryPassword);
    await client.post('/api/v1/auth/password', { currentPassword: temporaryPassword, newPassword: password }, { expect: [204] });
    if (key !== 'reader') await admin.post(`/api/v1/users/${user.id}/identity-verification`, { method: 'in-person-photo-id', evidenceRef: `Benchmark onboarding file ${username}` });
    actors[key] = { id: user.id, username, client, password };
  }
  return actors;
}

/** The server sees the generated data as its own: a document, its revision (hash recomputed here), the matrix and a qualification. */
export async function checkConsistency(reader, db, generated) {
  // A document on its second revision, distributed to job functions (every third from the 111th, see organisation.mjs).
  const documentId = generated.documentIds.findLast((_, i) => i % 3 === 0);
  const document = (await reader.get(`/api/v1/documents/${documentId}`)).body;
  const [{ needs }] = (await db.query('SELECT count(*)::int AS needs FROM training_need WHERE document_id = $1', [documentId])).rows;
  const current = document.revisions.find((r) => r.status === 'effective');
  const problems = [];
  if (document.status !== 'effective' || document.revisions.length !== 2 || !current) problems.push(`document ${document.number}: ${document.status}, ${document.revisions.length} revisions`);
  if (document.training?.required !== needs) problems.push(`document ${document.number}: training.required ${document.training?.required} != ${needs} needs`);
  const revision = (await reader.get(`/api/v1/document-revisions/${current.id}`)).body;
  if (contentHash({ type: revision.type, number: revision.number, title: revision.title, data: revision.data }) !== revision.contentHash) problems.push(`${revision.number}: content hash does not match its data`);
  const matrix = (await reader.get(`/api/v1/training/matrix?documentId=${documentId}&limit=500`)).body;
  const cells = matrix.people.flatMap((p) => Object.values(p.cells));
  if (cells.length === 0 || cells.some((c) => !['current', 'due', 'overdue', 'missing'].includes(c.status))) problems.push(`matrix of ${document.number}: ${cells.length} cells`);
  const trained = matrix.people.find((p) => Object.values(p.cells)[0]?.status === 'current');
  const qualification = (await reader.get(`/api/v1/training/qualification?userId=${trained.id}&documentId=${documentId}`)).body;
  if (!qualification.qualified) problems.push(`qualification of ${trained.fullName} on ${document.number}: ${qualification.explanation}`);
  if (problems.length > 0) throw new Error(`The server does not see the generated data as expected:\n  ${problems.join('\n  ')}`);
  return `${document.number}: ${document.revisions.length} revisions, ${needs} people need it, matrix ${cells.length} cells, ${qualification.explanation}`;
}

/** Matrix and summary latency, sequential and concurrent, with random cursors and filters. */
export async function benchMatrix(reader, db, { requests, concurrency, warmup, budgetMs, meters, log }) {
  const people = (await db.query('SELECT full_name, id, department FROM app_user WHERE active ORDER BY random() LIMIT 2000')).rows;
  const cursor = (list) => (Math.random() < 0.1 ? '' : `cursor=${encodeCursor(...(({ full_name, id }) => [full_name, id])(pick(list)))}`);
  const byDepartment = new Map(departments.map((d) => [d, people.filter((p) => p.department === d)]));
  const query = (...parts) => parts.filter(Boolean).join('&');
  const scenarios = [
    { key: 'matrix', label: 'GET /training/matrix (page of 50, random cursor)', target: 300, path: () => `/api/v1/training/matrix?${cursor(people)}` },
    {
      key: 'matrixDepartment',
      label: 'GET /training/matrix?department= (random department and cursor)',
      target: 300,
      path: () => {
        const department = pick(departments);
        return `/api/v1/training/matrix?${query(`department=${department}`, cursor(byDepartment.get(department)))}`;
      },
    },
    { key: 'matrixOverdue', label: 'GET /training/matrix?status=overdue (random cursor)', target: 300, path: () => `/api/v1/training/matrix?${query('status=overdue', cursor(people))}` },
    { key: 'summary', label: 'GET /training/matrix/summary (everyone)', target: null, path: () => '/api/v1/training/matrix/summary' },
    { key: 'summaryDepartment', label: 'GET /training/matrix/summary?department= (random)', target: null, path: () => `/api/v1/training/matrix/summary?department=${pick(departments)}` },
  ];
  const first = (await reader.get('/api/v1/training/matrix')).body;
  const cellsOnPage = first.people.reduce((n, p) => n + Object.keys(p.cells).length, 0);
  log(`  first page: ${first.people.length} people, ${first.documents.length} documents, ${cellsOnPage} cells`);
  const results = [];
  for (const scenario of scenarios) {
    for (const c of [1, concurrency]) {
      const stats = await load(reader, scenario.path, { requests, concurrency: c, warmup: c === 1 ? warmup : 0, budgetMs, meters });
      results.push({ ...scenario, concurrency: c, stats });
      const cpu = Object.entries(stats.cpuPerRequest).map(([name, v]) => `${name} ${v.toFixed(0)} ms`).join(', ');
      log(`  ${scenario.label}, concurrency ${c}: p50 ${stats.p50.toFixed(0)} ms, p95 ${stats.p95.toFixed(0)} ms, p99 ${stats.p99.toFixed(0)} ms, ${stats.rps.toFixed(1)} req/s; CPU per request: ${cpu}`);
    }
  }
  return { results, firstPage: { people: first.people.length, documents: first.documents.length, cells: cellsOnPage } };
}

const signature = (actor, meaning) => ({ username: actor.username, password: actor.password, meaning, acceptStatement: true });

/**
 * A new SOP through the API: created and distributed to the job function held by 5,000 people,
 * signed for review, reviewed, then approved with effect now. The approval assigns the training to
 * all 5,000 (due in 14 days) and makes the revision effective, in one transaction. Returns the timings.
 */
export async function approveDistributedRevision(actors, { coreFunctionId, expectedAssigned, index, db }) {
  const { author, reviewer, approver } = actors;
  const created = await author.client.post('/api/v1/documents', {
    docType: 'sop', siteCode: 'BER', department: 'QA', title: `Benchmark procedure ${index} for all GMP staff`, changeSummary: 'First issue',
    body: `# Purpose\nBenchmark document ${index}.\n\n# Procedure\n1. Read this procedure.\n2. Sign that you read and understood it.`,
  });
  const document = created.body;
  const distributed = await author.client.request('PUT', `/api/v1/documents/${document.id}/distribution`, { jobFunctionIds: [coreFunctionId], departments: [], userIds: [], version: document.version, reason: 'All GMP staff must read it' });
  const revisionId = document.revisions[0].id;
  const version = async () => (await author.client.get(`/api/v1/document-revisions/${revisionId}`)).body.version;
  await author.client.request('PATCH', `/api/v1/document-revisions/${revisionId}`, { version: await version(), reason: 'Name the reviewer', reviewerIds: [reviewer.id] });
  const submitted = await author.client.post(`/api/v1/document-revisions/${revisionId}/transitions`, { action: 'submit_for_review', version: await version(), signature: signature(author, 'authorship') });
  const reviewed = await reviewer.client.post(`/api/v1/document-revisions/${revisionId}/transitions`, { action: 'review', version: submitted.body.version, signature: signature(reviewer, 'review') });
  const approved = await approver.client.post(`/api/v1/document-revisions/${revisionId}/transitions`, {
    // Effective at once (so the approval also supersedes and publishes), with 14 days to train.
    action: 'approve', version: reviewed.body.version, fields: { effectiveAt: new Date().toISOString(), trainingImpact: 'retrain_all', gracePeriodDays: 14 }, signature: signature(approver, 'approval'),
  });
  const [{ assigned }] = (await db.query("SELECT count(*)::int AS assigned FROM training_assignment WHERE revision_id = $1 AND status = 'open' AND current", [revisionId])).rows;
  if (approved.body.status !== 'effective' || assigned !== expectedAssigned) throw new Error(`approval of ${approved.body.number}: ${approved.body.status}, ${assigned} assigned`);
  return { number: approved.body.number, revisionId, documentId: document.id, assigned, createMs: created.ms, distributeMs: distributed.ms, submitMs: submitted.ms, reviewMs: reviewed.ms, approveMs: approved.ms };
}

/**
 * Stands in for 5,000 trainees signing: 80% complete with a real sealed "read and understood"
 * signature bound to the revision's content, 7% become overdue, the rest stay open.
 */
export async function simulateTraining(db, revisionId, privateKey) {
  const key = instanceKey(privateKey);
  const [revision] = (await db.query('SELECT version, content_hash FROM record WHERE id = $1', [revisionId])).rows;
  const open = (await db.query("SELECT a.id, a.user_id, a.document_id, u.full_name FROM training_assignment a JOIN app_user u ON u.id = a.user_id WHERE a.revision_id = $1 AND a.status = 'open' ORDER BY a.id", [revisionId])).rows;
  const now = Date.now();
  const completed = [];
  const overdue = [];
  for (const [i, a] of open.entries()) {
    const bucket = Number.parseInt(a.id.slice(0, 8), 16) % 100;
    if (bucket < 80) {
      const signedAt = new Date(now - 60_000 + (i % 50_000));
      const s = { id: randomUUID(), record_id: revisionId, record_version: revision.version, content_hash: revision.content_hash, signer_id: a.user_id, signer_name: a.full_name, meaning: 'read_understood', action: 'train', signed_at: signedAt };
      completed.push({ ...s, assignment_id: a.id, document_id: a.document_id, seconds: 60 + (i % 900), key_id: key.keyId, seal: key.seal(sealedFields(s)), signed_at: signedAt.toISOString() });
    } else if (bucket < 87) overdue.push(a.id);
  }
  for (let i = 0; i < completed.length; i += 1000) {
    const rows = JSON.stringify(completed.slice(i, i + 1000));
    await db.query(
      `INSERT INTO signature (id, record_id, record_version, content_hash, signer_id, signer_name, meaning, action, signed_at, key_id, seal)
       SELECT id, record_id, record_version, content_hash, signer_id, signer_name, meaning, action, signed_at, key_id, seal
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, record_id uuid, record_version int, content_hash text, signer_id uuid, signer_name text, meaning text, action text, signed_at timestamptz, key_id text, seal text)`,
      [rows],
    );
    await db.query(
      `UPDATE training_assignment a SET status = 'completed', opened_at = x.signed_at - x.seconds * interval '1 second', completed_at = x.signed_at, method = 'read',
              signature_id = x.id, time_spent_seconds = x.seconds, version = a.version + 2
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, assignment_id uuid, signed_at timestamptz, seconds int) WHERE a.id = x.assignment_id`,
      [rows],
    );
    await db.query(
      `INSERT INTO training_ledger (assignment_id, user_id, document_id, revision_id, event, at, actor_id, signature_id, details)
       SELECT x.assignment_id, x.signer_id, x.document_id, x.record_id, e.event, CASE WHEN e.event = 'opened' THEN x.signed_at - x.seconds * interval '1 second' ELSE x.signed_at END,
              x.signer_id, CASE WHEN e.event = 'completed' THEN x.id END,
              CASE WHEN e.event = 'completed' THEN jsonb_build_object('method', 'read', 'timeSpentSeconds', x.seconds, 'serverSeconds', x.seconds, 'contentHash', x.content_hash, 'version', x.record_version) ELSE '{}' END
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, assignment_id uuid, signer_id uuid, document_id uuid, record_id uuid, record_version int, content_hash text, signed_at timestamptz, seconds int),
              (VALUES ('opened'), ('completed')) AS e(event)`,
      [rows],
    );
  }
  // Reminded today, as the hourly reminder job would leave them: that job must find nothing to do during the measurements.
  await db.query("UPDATE training_assignment SET due_at = now() - interval '3 days', last_reminded_at = now() WHERE id = ANY($1::uuid[])", [overdue]);
  await db.query('ANALYZE training_assignment, signature, training_ledger');
  return { completed: completed.length, overdue: overdue.length, open: open.length - completed.length - overdue.length };
}

/** Evidence of one revision as PDF, CSV and JSON: median of `runs` after a warm-up. */
export async function benchEvidence(reader, revisionId, runs) {
  const out = {};
  for (const [key, path] of [['pdf', 'training.pdf'], ['csv', 'training.csv'], ['json', 'training']]) {
    let size = 0;
    let type = '';
    const timing = await repeat(async () => {
      const response = await reader.get(`/api/v1/document-revisions/${revisionId}/${path}`, { raw: key !== 'json' });
      size = response.bytes;
      type = response.type;
      return response.ms;
    }, runs);
    out[key] = { ...timing, bytes: size, type };
  }
  out.revision = await repeat(async () => (await reader.get(`/api/v1/document-revisions/${revisionId}`)).ms, runs);
  return out;
}
