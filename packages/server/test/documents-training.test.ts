import { assignPeriodicRetraining, makeDueRevisionsEffective, remindOverdueTraining, remindPeriodicReviews } from '@verity/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfPageTexts } from '../../core/test/support/pdf-text.js';
import { handlers } from '../src/worker.js';
import { type Client, PASSWORD, type TestWorld, testWorld } from './support/harness.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

const DAY = 86400_000;
let world: TestWorld;
let sink: SmtpSink;
let author: Client;
let reviewer1: Client;
let reviewer2: Client;
let approver: Client;
let trainer: Client;
let operator: Client;
let controller: Client;
const people: Record<string, { id: string; username: string; fullName: string }> = {};
let fillingOperators: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  // The clock moves weeks in these tests; sessions have their own tests.
  world = await testWorld({ settings: { sessionIdleMinutes: 60 * 24 * 3650, sessionAbsoluteHours: 24 * 3650, passwordMaxAgeDays: 3650 }, smtpUrl: sink.url });
  const make = async (username: string, role: string, fullName: string, email?: string) => {
    people[username] = await world.user(username, [{ role, siteCode: 'BER' }], fullName, { email });
  };
  await make('dora', 'qa_manager', 'Dora Author', 'dora@example.test');
  await make('rex', 'investigator', 'Rex Reviewer');
  await make('rita', 'qa_reviewer', 'Rita Reviewer');
  await make('quinn', 'qa_manager', 'Quinn Approver');
  await make('tom', 'trainer', 'Tom Trainer');
  await make('otto', 'operator', 'Otto Operator', 'otto@example.test');
  await make('olga', 'operator', 'Olga Operator', 'olga@example.test');
  await make('mia', 'operator', 'Mia Manager', 'mia@example.test');
  await make('cleo', 'document_controller', 'Cleo Controller');
  [author, reviewer1, reviewer2, approver, trainer, operator, controller] = await Promise.all(['dora', 'rex', 'rita', 'quinn', 'tom', 'otto', 'cleo'].map((u) => world.signIn(u)));
  const created = await controller.post('/api/v1/job-functions', { code: 'FILL-OP', name: 'Filling operator' });
  expect(created.status).toBe(201);
  fillingOperators = created.body.id;
  for (const [who, manager] of [['otto', 'mia'], ['olga', 'mia']]) {
    const profile = await controller.request('PUT', `/api/v1/users/${people[who].id}/training-profile`, {
      reason: 'Hired as filling operator', department: 'PRD', managerId: people[manager].id, jobFunctionIds: [fillingOperators],
    });
    expect(profile.status).toBe(200);
  }
});
afterAll(async () => {
  await sink.close();
});

const sign = (username: string, meaning: string) => ({ username, password: PASSWORD, meaning });

async function revisionStep(client: Client, id: string, body: Record<string, unknown>) {
  const current = await client.get(`/api/v1/document-revisions/${id}`);
  return client.post(`/api/v1/document-revisions/${id}/transitions`, { version: current.body.version, ...body });
}

async function edit(client: Client, id: string, fields: Record<string, unknown>) {
  const current = await client.get(`/api/v1/document-revisions/${id}`);
  return client.patch(`/api/v1/document-revisions/${id}`, { version: current.body.version, reason: 'Drafting', ...fields });
}

/** Creates a document, writes it, has it reviewed by rex and rita and approved by quinn. */
async function approvedDocument(options: { docType?: string; title?: string; effectiveAt?: Date; impact?: string; distribute?: boolean; method?: string; quiz?: unknown } = {}) {
  const created = await author.post('/api/v1/documents', { docType: options.docType ?? 'sop', siteCode: 'BER', department: 'QA', title: options.title ?? 'Aseptic filling', changeSummary: 'First issue' });
  expect(created.status).toBe(201);
  const document = created.body;
  const revisionId = document.revisions[0].id;
  if (options.distribute !== false) {
    const distributed = await controller.request('PUT', `/api/v1/documents/${document.id}/distribution`, { version: document.version, reason: 'Filling operators follow it', jobFunctionIds: [fillingOperators], departments: [], userIds: [] });
    expect(distributed.status).toBe(200);
  }
  expect((await edit(author, revisionId, { body: '# Purpose\nFill vials aseptically.\n\n# Steps\n1. Gown\n2. Fill\n', reviewerIds: [people.rex.id, people.rita.id], trainingMethod: options.method ?? 'read', ...(options.quiz ? { quiz: options.quiz } : {}) })).status).toBe(200);
  expect((await revisionStep(author, revisionId, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
  expect((await revisionStep(reviewer1, revisionId, { action: 'review', signature: sign('rex', 'review') })).status).toBe(200);
  expect((await revisionStep(reviewer2, revisionId, { action: 'review', signature: sign('rita', 'review') })).status).toBe(200);
  const approved = await revisionStep(approver, revisionId, {
    action: 'approve',
    fields: { effectiveAt: (options.effectiveAt ?? new Date(world.clock.now().getTime() + 7 * DAY)).toISOString(), trainingImpact: options.impact ?? 'retrain_all' },
    signature: sign('quinn', 'approval'),
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return { documentId: document.id as string, number: document.number as string, revisionId: revisionId as string, approved: approved.body };
}

async function myOpen(client: Client, documentNumber: string) {
  const mine = await client.get('/api/v1/training/my');
  return mine.body.open.find((a: { documentNumber: string }) => a.documentNumber === documentNumber);
}

async function train(client: Client, username: string, assignmentId: string) {
  await client.post(`/api/v1/training/assignments/${assignmentId}/open`);
  world.clock.advance(5 * 60_000);
  const detail = await client.get(`/api/v1/training/assignments/${assignmentId}`);
  return client.post(`/api/v1/training/assignments/${assignmentId}/complete`, { version: detail.body.version, timeSpentSeconds: 290, signature: sign(username, 'read_understood') });
}

describe('document control', () => {
  it('[ISO13485-4.2.4-1][ISO13485-4.2.4-5][P11-10f-1] a document is numbered, reviewed by every named reviewer, approved by someone other than its author, and effective on its date', async () => {
    const created = await author.post('/api/v1/documents', { docType: 'sop', siteCode: 'BER', department: 'QA', title: 'Line clearance' });
    expect(created.status).toBe(201);
    expect(created.body.number).toMatch(/^SOP-QA-\d{3}$/);
    expect(created.body.status).toBe('draft');
    const revisionId = created.body.revisions[0].id;
    const revision = await author.get(`/api/v1/document-revisions/${revisionId}`);
    expect(revision.body).toMatchObject({ number: `${created.body.number} v1.0`, status: 'draft' });

    // Nothing to review yet: the guard names what is missing.
    const empty = await revisionStep(author, revisionId, { action: 'submit_for_review', signature: sign('dora', 'authorship') });
    expect(empty.status).toBe(422);
    expect(empty.body.errors.map((e: { path: string }) => e.path)).toContain('fields.reviewerIds');
    const submitAbility = revision.body.abilities.transitions.find((t: { action: string }) => t.action === 'submit_for_review');
    expect(submitAbility).toMatchObject({ allowed: false, deniedBecause: expect.stringContaining('reviewerIds') });
    expect((await edit(author, revisionId, { reviewerIds: [people.dora.id] })).body.errors[0].path).toBe('reviewerIds'); // the author cannot review
    expect((await edit(author, revisionId, { reviewerIds: [people.otto.id] })).status).toBe(422); // an operator may not review documents
    expect((await edit(author, revisionId, { body: 'Clear the line.', reviewerIds: [people.rex.id, people.rita.id] })).status).toBe(200);
    expect((await revisionStep(author, revisionId, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);

    // In review the text is frozen.
    expect((await edit(author, revisionId, { body: 'Changed after review started' })).status).toBe(403);
    // Someone who is not a named reviewer cannot review; the approver cannot approve before every reviewer signed.
    expect((await revisionStep(approver, revisionId, { action: 'review', signature: sign('quinn', 'review') })).status).toBe(403);
    expect((await revisionStep(reviewer1, revisionId, { action: 'review', signature: sign('rex', 'review') })).status).toBe(200);
    expect((await revisionStep(reviewer1, revisionId, { action: 'review', signature: sign('rex', 'review') })).status).toBe(403); // once
    const early = await revisionStep(approver, revisionId, { action: 'approve', fields: { effectiveAt: world.clock.now().toISOString(), trainingImpact: 'retrain_all' }, signature: sign('quinn', 'approval') });
    expect(early.status).toBe(403);
    expect(early.body.detail).toContain('have not signed their review');
    expect((await revisionStep(reviewer2, revisionId, { action: 'review', signature: sign('rita', 'review') })).status).toBe(200);
    // The author (who may approve other documents) may not approve their own.
    const own = await revisionStep(author, revisionId, { action: 'approve', fields: { effectiveAt: world.clock.now().toISOString(), trainingImpact: 'retrain_all' }, signature: sign('dora', 'approval') });
    expect([403]).toContain(own.status);
    expect(own.body.code).toMatch(/SEGREGATION_OF_DUTIES|FORBIDDEN/);
    // A new document cannot go without training.
    const noTraining = await revisionStep(approver, revisionId, { action: 'approve', fields: { effectiveAt: world.clock.now().toISOString(), trainingImpact: 'none', trainingImpactJustification: 'x' }, signature: sign('quinn', 'approval') });
    expect(noTraining.status).toBe(422);
    const effectiveAt = new Date(world.clock.now().getTime() + 3 * DAY);
    const approved = await revisionStep(approver, revisionId, { action: 'approve', fields: { effectiveAt: effectiveAt.toISOString(), trainingImpact: 'retrain_all' }, signature: sign('quinn', 'approval') });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(approved.body.signatures.map((s: { meaning: string; signerName: string }) => `${s.meaning}:${s.signerName}`)).toEqual([
      'authorship:Dora Author', 'review:Rex Reviewer', 'review:Rita Reviewer', 'approval:Quinn Approver',
    ]);
    expect(approved.body.signatures.every((s: { valid: boolean }) => s.valid)).toBe(true);

    // Not effective before its date; the schedule makes it effective once the date has come.
    await makeDueRevisionsEffective(world.services);
    expect((await author.get(`/api/v1/document-revisions/${revisionId}`)).body.status).toBe('approved');
    world.clock.advance(3 * DAY);
    const run = await makeDueRevisionsEffective(world.services);
    expect(run.madeEffective).toContain(`${created.body.number} v1.0`);
    const document = await author.get(`/api/v1/documents/${created.body.id}`);
    expect(document.body).toMatchObject({ status: 'effective', data: { currentRevisionId: revisionId, currentVersionLabel: '1.0' } });
    expect(document.body.revisions[0].effectiveFrom).toBe(world.clock.now().toISOString());
    expect(document.body.dueDate).toBe('2028-11-28'); // periodic review: 24 months for SOPs
  });

  it('[ISO13485-4.2.4-3][ISO13485-4.2.4-8] a new revision shows a diff, supersedes the previous one at the moment it becomes effective, and every version stays retrievable', async () => {
    const doc = await approvedDocument({ title: 'Gowning', effectiveAt: world.clock.now(), distribute: false });
    expect(doc.approved.status).toBe('effective');
    const next = await author.post(`/api/v1/documents/${doc.documentId}/revisions`, { changeType: 'major', changeSummary: 'Adds glove change' });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ number: `${doc.number} v2.0`, status: 'draft', data: { body: expect.stringContaining('Fill vials aseptically') } });
    // Only one revision in progress at a time.
    expect((await author.post(`/api/v1/documents/${doc.documentId}/revisions`, { changeType: 'minor', changeSummary: 'Typo' })).status).toBe(409);
    expect((await edit(author, next.body.id, { body: '# Purpose\nFill vials aseptically.\n\n# Steps\n1. Gown\n2. Change gloves\n3. Fill\n' })).status).toBe(200);
    const diff = await author.get(`/api/v1/documents/${doc.documentId}/diff?from=${doc.revisionId}&to=${next.body.id}`);
    expect(diff.status).toBe(200);
    expect(diff.body.parts.filter((p: { kind: string }) => p.kind === 'added').map((p: { text: string }) => p.text).join('')).toContain('Change gloves');
    expect(diff.body.parts.filter((p: { kind: string }) => p.kind === 'removed').map((p: { text: string }) => p.text).join('')).toContain('2. Fill');
    expect(diff.body.fieldChanges.map((c: { field: string }) => c.field)).toContain('changeSummary');

    expect((await revisionStep(author, next.body.id, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    for (const [client, who] of [[reviewer1, 'rex'], [reviewer2, 'rita']] as const) expect((await revisionStep(client, next.body.id, { action: 'review', signature: sign(who, 'review') })).status).toBe(200);
    const moment = world.clock.now().toISOString();
    const approved = await revisionStep(approver, next.body.id, { action: 'approve', fields: { effectiveAt: moment, trainingImpact: 'retrain_all' }, signature: sign('quinn', 'approval') });
    expect(approved.body.status).toBe('effective');
    const document = await author.get(`/api/v1/documents/${doc.documentId}`);
    const [v2, v1] = document.body.revisions;
    expect(v1).toMatchObject({ versionLabel: '1.0', status: 'superseded', effectiveTo: moment });
    expect(v2).toMatchObject({ versionLabel: '2.0', status: 'effective', effectiveFrom: moment });
    // The superseded version is still there, read-only, with its signatures valid.
    const old = await author.get(`/api/v1/document-revisions/${doc.revisionId}`);
    expect(old.body).toMatchObject({ status: 'superseded', data: { body: expect.stringContaining('2. Fill') } });
    expect(old.body.signatures.every((s: { valid: boolean }) => s.valid)).toBe(true);
    expect((await edit(author, doc.revisionId, { body: 'rewrite history' })).status).toBe(403);
    // At the point of use a reader finds only the revision in force; authors and inspectors see every version.
    expect((await operator.get(`/api/v1/document-revisions/${doc.revisionId}`)).status).toBe(404);
    expect((await operator.get(`/api/v1/document-revisions/${v2.id}`)).status).toBe(200);
    const found = (await operator.get('/api/v1/search?q=Gowning')).body.items.map((i: { number: string }) => i.number);
    expect(found).toContain(`${doc.number} v2.0`);
    expect(found).not.toContain(`${doc.number} v1.0`);
    expect((await author.get('/api/v1/search?q=Gowning')).body.items.map((i: { number: string }) => i.number)).toContain(`${doc.number} v1.0`);
    const drafts = (await operator.get('/api/v1/documents?q=Line')).body.items.map((d: { status: string }) => d.status);
    expect(drafts.every((status: string) => status === 'effective')).toBe(true);
    expect((await author.request('DELETE', `/api/v1/document-revisions/${doc.revisionId}`)).status).toBe(405);
  });

  it('[ISO13485-4.2.4-4] the controlled PDF carries number, version, effective date, every signature manifestation and the uncontrolled-copy mark on every page', async () => {
    const doc = await approvedDocument({ title: 'Environmental monitoring', effectiveAt: world.clock.now(), distribute: false });
    const response = await world.app.inject({ method: 'GET', url: `/api/v1/document-revisions/${doc.revisionId}/rendition.pdf`, headers: { cookie: `verity_session=${operator.cookie}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const pages = await pdfPageTexts(response.rawPayload);
    const all = pages.join('\n');
    expect(all).toContain(doc.number);
    expect(all).toContain('Environmental monitoring');
    expect(all).toContain('Fill vials aseptically');
    const signatures = (await author.get(`/api/v1/records/${doc.revisionId}/signatures`)).body.items as { signerName: string; signedAt: string; meaningLabel: string }[];
    expect(signatures).toHaveLength(4);
    for (const s of signatures) {
      expect(all).toContain(s.signerName);
      expect(all).toContain(s.signedAt.replace('T', ' ').replace(/\.\d+Z$/, '').slice(0, 16));
      expect(all).toContain(s.meaningLabel);
    }
    for (const page of pages) expect(page).toMatch(/UNCONTROLLED WHEN PRINTED.*Otto Operator/s);
  });

  it('[ISO13485-4.2.4-2] periodic review is a signed decision that moves the next review date; obsolete documents leave training and points of use', async () => {
    const doc = await approvedDocument({ title: 'Cleaning validation', effectiveAt: world.clock.now() });
    const before = await approver.get(`/api/v1/documents/${doc.documentId}`);
    const review = await approver.post(`/api/v1/documents/${doc.documentId}/transitions`, {
      version: before.body.version, action: 'periodic_review', fields: { lastReviewOutcome: 'no_change', reviewComment: 'Still accurate' }, signature: sign('quinn', 'review'),
    });
    expect(review.status).toBe(200);
    expect(review.body.data).toMatchObject({ lastReviewOutcome: 'no_change', reviewComment: 'Still accurate' });
    const nextReview = new Date(world.clock.now());
    nextReview.setUTCMonth(nextReview.getUTCMonth() + 24);
    expect(review.body.dueDate).toBe(nextReview.toISOString().slice(0, 10));
    expect((await myOpen(operator, doc.number))).toBeTruthy();
    // Nothing to remind now; 23 months on, the owner hears once that the review is due.
    const reminders = await remindPeriodicReviews(world.services);
    world.clock.advance(710 * DAY);
    const due = await remindPeriodicReviews(world.services);
    expect(due.reminded).toBeGreaterThan(reminders.reminded);
    expect((await remindPeriodicReviews(world.services)).reminded).toBe(0);
    expect(JSON.stringify((await author.get('/api/v1/notifications')).body)).toContain(`Periodic review of ${doc.number}`);
    expect((await approver.get('/api/v1/tasks')).body.items.map((t: { number: string; action: string }) => `${t.number}:${t.action}`)).toContain(`${doc.number}:periodic_review`);
    const obsolete = await approver.post(`/api/v1/documents/${doc.documentId}/transitions`, { version: review.body.version, action: 'make_obsolete', reason: 'Process retired', signature: sign('quinn', 'approval') });
    expect(obsolete.status).toBe(200);
    expect((await remindPeriodicReviews(world.services)).reminded).toBe(0); // obsolete: no review
    expect(obsolete.body.status).toBe('obsolete');
    expect((await author.get(`/api/v1/document-revisions/${doc.revisionId}`)).body.status).toBe('obsolete');
    expect(await myOpen(operator, doc.number)).toBeUndefined();
    const library = await operator.get('/api/v1/documents?status=effective&q=Cleaning');
    expect(library.body.items.map((d: { number: string }) => d.number)).not.toContain(doc.number);
  });

  it('people pickers: anyone with a role finds active people, filtered by site and permission', async () => {
    const reviewers = await author.get('/api/v1/people?site=BER&permission=document:review');
    expect(reviewers.status).toBe(200);
    const names = reviewers.body.items.map((p: { username: string }) => p.username);
    expect(names).toEqual(expect.arrayContaining(['rex', 'rita', 'tom']));
    expect(names).not.toContain('otto');
    expect((await reviewer1.get('/api/v1/people?q=otto')).body.items[0]).toMatchObject({ username: 'otto', roles: [{ role: 'operator', siteCode: 'BER' }] });
    expect(JSON.stringify((await operator.get('/api/v1/people?q=dora')).body)).not.toContain('password');
  });

  it('sending for review notifies the named reviewers only; their review shows in their tasks', async () => {
    const created = await author.post('/api/v1/documents', { docType: 'sop', siteCode: 'BER', department: 'QA', title: 'Visual inspection of vials', changeSummary: 'First issue' });
    const id = created.body.revisions[0].id;
    expect((await edit(author, id, { body: 'Inspect each vial.', reviewerIds: [people.rita.id] })).status).toBe(200);
    expect((await revisionStep(author, id, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    const [job] = await world.db.query<{ id: string; data: Record<string, unknown> }>("SELECT id, data FROM pgboss.job WHERE name = 'record-transitioned' AND data->>'recordId' = $1", [id]);
    await handlers['record.transitioned'](world.services, job);
    const notified = await world.db.query<{ username: string }>('SELECT u.username FROM notification n JOIN app_user u ON u.id = n.user_id WHERE n.source_job = $1 ORDER BY 1', [job.id]);
    expect(notified.map((n) => n.username)).toEqual(['rita']);
    const ritaTasks = (await reviewer2.get('/api/v1/tasks')).body.items.map((t: { number: string; action: string }) => `${t.number}:${t.action}`);
    expect(ritaTasks).toContain(`${created.body.number} v1.0:review`);
    expect((await reviewer1.get('/api/v1/tasks')).body.items.map((t: { number: string }) => t.number)).not.toContain(`${created.body.number} v1.0`);
  });

  it('[ISO13485-4.2.4-3] an uploaded original is stored unchanged by its hash, downloadable, and part of the controlled PDF', async () => {
    const created = await author.post('/api/v1/documents', { docType: 'specification', siteCode: 'BER', department: 'QC', title: 'Vial specification', changeSummary: 'First issue' });
    const id = created.body.revisions[0].id;
    const PDFDocument = (await import('pdfkit')).default;
    const original = await new Promise<Buffer>((resolve) => {
      const doc = new PDFDocument();
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.text('Vial neck finish 20 mm, tolerance 0.1 mm');
      doc.end();
    });
    const boundary = 'verityoriginal';
    const form = (version: number, type = 'application/pdf', bytes = original) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="version"\r\n\r\n${version}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="spec.pdf"\r\nContent-Type: ${type}\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const upload = (payload: Buffer) => world.app.inject({ method: 'POST', url: `/api/v1/document-revisions/${id}/original`, payload, headers: { cookie: `verity_session=${author.cookie}`, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    const version = (await author.get(`/api/v1/document-revisions/${id}`)).body.version;
    expect((await upload(form(version, 'application/x-msdownload'))).statusCode).toBe(415);
    const stored = await upload(form(version));
    expect(stored.statusCode, stored.body).toBe(200);
    const sha256 = (await import('node:crypto')).createHash('sha256').update(original).digest('hex');
    expect(JSON.parse(stored.body).data.original).toMatchObject({ fileName: 'spec.pdf', mediaType: 'application/pdf', size: original.length, sha256 });
    expect((await upload(form(version))).statusCode).toBe(409); // stale version
    const download = await world.app.inject({ method: 'GET', url: `/api/v1/document-revisions/${id}/original`, headers: { cookie: `verity_session=${author.cookie}` } });
    expect(download.rawPayload.equals(original)).toBe(true);
    expect(download.headers['x-content-sha256']).toBe(sha256);
    const rendition = await world.app.inject({ method: 'GET', url: `/api/v1/document-revisions/${id}/rendition.pdf`, headers: { cookie: `verity_session=${author.cookie}` } });
    const pages = await pdfPageTexts(rendition.rawPayload);
    expect(pages.join('\n')).toContain('Vial neck finish 20 mm');
    expect(pages.join('\n')).toContain('NOT EFFECTIVE');
    expect(pages.every((p) => p.includes('UNCONTROLLED WHEN PRINTED'))).toBe(true);
  });

  it('[P11-10a-2] bad requests name the field and write nothing; stale versions get 409', async () => {
    const records = await world.count('record');
    const bad = await author.post('/api/v1/documents', { docType: 'recipe', siteCode: 'BER', department: 'qa', title: '' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['docType', 'department', 'title']));
    expect((await operator.post('/api/v1/documents', { docType: 'sop', siteCode: 'BER', department: 'QA', title: 'Not mine to write' })).status).toBe(403);
    expect(await world.count('record')).toBe(records);
    const created = await author.post('/api/v1/documents', { docType: 'form', siteCode: 'BER', department: 'QA', title: 'Batch record form' });
    const id = created.body.revisions[0].id;
    const current = await author.get(`/api/v1/document-revisions/${id}`);
    expect((await author.patch(`/api/v1/document-revisions/${id}`, { version: current.body.version, reason: 'First', body: 'A' })).status).toBe(200);
    const stale = await author.patch(`/api/v1/document-revisions/${id}`, { version: current.body.version, reason: 'Second', body: 'B' });
    expect(stale.status).toBe(409);
    expect((await author.get(`/api/v1/document-revisions/${id}`)).body.data.body).toBe('A');
  });
});

describe('training that follows every revision', () => {
  it('[ISO13485-6.2-1] approval assigns training to everyone whose job function needs the document, due at the effective date plus grace; completion is a signed read-and-understood', async () => {
    const effectiveAt = new Date(world.clock.now().getTime() + 5 * DAY);
    const doc = await approvedDocument({ title: 'Vial inspection', effectiveAt });
    const otto = await myOpen(operator, doc.number);
    expect(otto).toMatchObject({ versionLabel: '1.0', reason: 'revision', status: 'open', dueAt: effectiveAt.toISOString() });
    const rev = await approver.get(`/api/v1/document-revisions/${doc.revisionId}`);
    expect(rev.body.training).toMatchObject({ required: 2, open: 2, completed: 0 });
    // Only the trainee signs their own training, with the right meaning.
    const other = await trainer.post(`/api/v1/training/assignments/${otto.id}/complete`, { version: otto.version, signature: sign('tom', 'read_understood') });
    expect(other.status).toBe(403); // the trainer may see it, not sign it
    expect((await reviewer1.post(`/api/v1/training/assignments/${otto.id}/complete`, { version: otto.version, signature: sign('rex', 'read_understood') })).status).toBe(404);
    const wrongMeaning = await operator.post(`/api/v1/training/assignments/${otto.id}/complete`, { version: otto.version, signature: sign('otto', 'approval') });
    expect(wrongMeaning.status).toBe(422);
    const done = await train(operator, 'otto', otto.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', method: 'read', timeSpentSeconds: 290 });
    expect(done.body.signatureManifestation).toMatch(/^Otto Operator — \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC — Read and understood$/);
    // The signature is bound to the revision's content and listed in the evidence, not among the document's approval signatures.
    const evidence = await approver.get(`/api/v1/document-revisions/${doc.revisionId}/training`);
    expect(evidence.body.summary).toMatchObject({ required: 2, completed: 1, open: 1 });
    const ottoRow = evidence.body.rows.find((r: { username: string }) => r.username === 'otto');
    expect(ottoRow.signature).toMatchObject({ valid: true, manifestation: done.body.signatureManifestation });
    expect((await approver.get(`/api/v1/document-revisions/${doc.revisionId}`)).body.signatures).toHaveLength(4);
    const csv = await approver.get(`/api/v1/document-revisions/${doc.revisionId}/training.csv`);
    expect(csv.body).toContain(done.body.signatureManifestation);
    const pdf = await world.app.inject({ method: 'GET', url: `/api/v1/document-revisions/${doc.revisionId}/training.pdf`, headers: { cookie: `verity_session=${approver.cookie}` } });
    expect((await pdfPageTexts(pdf.rawPayload)).join('\n')).toContain('Otto Operator');
    // An operator cannot see others' evidence or the matrix.
    expect((await operator.get(`/api/v1/document-revisions/${doc.revisionId}/training`)).status).toBe(403);
    expect((await operator.get('/api/v1/training/matrix')).status).toBe(403);
  });

  it('[P11-10i-1][ISO13485-6.2-1] point-in-time qualification across three revisions, with an editorial revision that needs no retraining', async () => {
    const t0 = world.clock.now();
    const doc = await approvedDocument({ title: 'Capping', effectiveAt: t0 });
    const olga = await world.signIn('olga');
    const olgaV1 = await myOpen(olga, doc.number);
    world.clock.advance(DAY);
    const ottoV1 = await myOpen(operator, doc.number);
    expect((await train(operator, 'otto', ottoV1.id)).status).toBe(200);
    const ottoTrainedV1 = world.clock.now();
    const q = (userId: string, at?: Date) => approver.get(`/api/v1/training/qualification?userId=${userId}&documentId=${doc.documentId}${at ? `&at=${encodeURIComponent(at.toISOString())}` : ''}`);
    expect((await q(people.otto.id, new Date(t0.getTime() + 3600_000))).body).toMatchObject({ qualified: false, effectiveRevision: { versionLabel: '1.0' } });
    expect((await q(people.otto.id)).body).toMatchObject({ qualified: true, trainingBasis: { versionLabel: '1.0' }, completion: { method: 'read' } });
    expect((await q(people.olga.id)).body.qualified).toBe(false);
    expect(olgaV1).toBeTruthy();

    // v2.0, a content change: retraining; Olga's open v1 training is replaced by v2.
    world.clock.advance(DAY);
    const v2 = await author.post(`/api/v1/documents/${doc.documentId}/revisions`, { changeType: 'major', changeSummary: 'New capping torque' });
    expect((await edit(author, v2.body.id, { body: 'Torque 12 Nm' })).status).toBe(200);
    expect((await revisionStep(author, v2.body.id, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    for (const [client, who] of [[reviewer1, 'rex'], [reviewer2, 'rita']] as const) expect((await revisionStep(client, v2.body.id, { action: 'review', signature: sign(who, 'review') })).status).toBe(200);
    const v2At = new Date(world.clock.now().getTime() + 2 * DAY);
    expect((await revisionStep(approver, v2.body.id, { action: 'approve', fields: { effectiveAt: v2At.toISOString(), trainingImpact: 'changed_sections', changedSections: ['Torque'] }, signature: sign('quinn', 'approval') })).status).toBe(200);
    const olgaOpen = (await olga.get('/api/v1/training/my')).body.open.filter((a: { documentNumber: string }) => a.documentNumber === doc.number);
    expect(olgaOpen.map((a: { versionLabel: string }) => a.versionLabel)).toEqual(['2.0']);
    expect(olgaOpen[0].changedSections).toEqual(['Torque']);
    // Before v2 is effective, Otto is still qualified on v1.
    expect((await q(people.otto.id)).body.qualified).toBe(true);
    world.clock.advance(2 * DAY);
    await makeDueRevisionsEffective(world.services);
    const v2Effective = world.clock.now();
    expect((await q(people.otto.id)).body).toMatchObject({ qualified: false, effectiveRevision: { versionLabel: '2.0' } });
    const ottoV2 = await myOpen(operator, doc.number);
    world.clock.advance(DAY);
    expect((await train(operator, 'otto', ottoV2.id)).status).toBe(200);
    const ottoTrainedV2 = world.clock.now();

    // v2.1, editorial: no retraining (justified); training on v2.0 still qualifies.
    world.clock.advance(DAY);
    const v21 = await author.post(`/api/v1/documents/${doc.documentId}/revisions`, { changeType: 'minor', changeSummary: 'Typo in the title' });
    expect(v21.body.data.versionLabel).toBe('2.1');
    expect((await edit(author, v21.body.id, { body: 'Torque: 12 Nm' })).status).toBe(200);
    expect((await revisionStep(author, v21.body.id, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    for (const [client, who] of [[reviewer1, 'rex'], [reviewer2, 'rita']] as const) expect((await revisionStep(client, v21.body.id, { action: 'review', signature: sign(who, 'review') })).status).toBe(200);
    const noJustification = await revisionStep(approver, v21.body.id, { action: 'approve', fields: { effectiveAt: world.clock.now().toISOString(), trainingImpact: 'none' }, signature: sign('quinn', 'approval') });
    expect(noJustification.status).toBe(422);
    expect(noJustification.body.errors[0].path).toBe('fields.trainingImpactJustification');
    const assignmentsBefore = await world.count('training_assignment');
    const v21Approved = await revisionStep(approver, v21.body.id, { action: 'approve', fields: { effectiveAt: world.clock.now().toISOString(), trainingImpact: 'none', trainingImpactJustification: 'Punctuation only' }, signature: sign('quinn', 'approval') });
    expect(v21Approved.body.status).toBe('effective');
    expect(await world.count('training_assignment')).toBe(assignmentsBefore);
    const now = (await q(people.otto.id)).body;
    expect(now).toMatchObject({ qualified: true, effectiveRevision: { versionLabel: '2.1' }, trainingBasis: { versionLabel: '2.0' } });
    expect(now.explanation).toContain('editorial change without retraining');

    // The questions an inspector asks, answered from the ledger for past moments.
    expect((await q(people.otto.id, new Date(ottoTrainedV1.getTime() + 60_000))).body).toMatchObject({ qualified: true, effectiveRevision: { versionLabel: '1.0' } });
    expect((await q(people.otto.id, new Date(v2Effective.getTime() + 60_000))).body).toMatchObject({ qualified: false, effectiveRevision: { versionLabel: '2.0' } });
    expect((await q(people.otto.id, new Date(ottoTrainedV2.getTime() + 60_000))).body).toMatchObject({ qualified: true, effectiveRevision: { versionLabel: '2.0' } });
    expect((await q(people.otto.id, new Date(t0.getTime() - DAY))).body).toMatchObject({ qualified: false, effectiveRevision: null });
    expect((await q(people.olga.id)).body.qualified).toBe(false);
  });

  it('[P211-25-1] the effective-date gate keeps a revision approved until the named share of trainees is trained', async () => {
    const type = await controller.get('/api/v1/document-types');
    const wi = type.body.items.find((t: { code: string }) => t.code === 'work_instruction');
    expect((await controller.patch('/api/v1/document-types/work_instruction', { version: wi.version, reason: 'Gate work instructions', gatePercent: 100 })).status).toBe(200);
    expect((await operator.patch('/api/v1/document-types/work_instruction', { version: wi.version + 1, reason: 'x', gatePercent: 1 })).status).toBe(403);
    const doc = await approvedDocument({ docType: 'work_instruction', title: 'Stopper bowl loading', effectiveAt: world.clock.now() });
    expect(doc.approved.status).toBe('approved');
    expect(doc.approved.gate).toMatchObject({ percent: 100, trainedPercent: 0, satisfied: false });
    expect((await makeDueRevisionsEffective(world.services)).waitingForTraining).toContain(`${doc.number} v1.0`);
    expect((await train(operator, 'otto', (await myOpen(operator, doc.number)).id)).status).toBe(200);
    await makeDueRevisionsEffective(world.services);
    expect((await approver.get(`/api/v1/document-revisions/${doc.revisionId}`)).body).toMatchObject({ status: 'approved', gate: { trainedPercent: 50 } });
    const olga = await world.signIn('olga');
    expect((await train(olga, 'olga', (await myOpen(olga, doc.number)).id)).status).toBe(200);
    expect((await makeDueRevisionsEffective(world.services)).madeEffective).toContain(`${doc.number} v1.0`);
    expect((await approver.get(`/api/v1/documents/${doc.documentId}`)).body.status).toBe('effective');
  });

  it('quizzes are graded on the server, attempts are limited, and a failed trainee is re-assigned by a training manager', async () => {
    const quiz = { passMarkPercent: 100, maxAttempts: 2, questions: [{ prompt: 'Torque?', options: ['6 Nm', '12 Nm'], correctIndex: 1 }, { prompt: 'Gloves?', options: ['Change each hour', 'Never'], correctIndex: 0 }] };
    const doc = await approvedDocument({ title: 'Torque check', method: 'quiz', quiz, effectiveAt: world.clock.now() });
    const assignment = await myOpen(operator, doc.number);
    const detail = await operator.get(`/api/v1/training/assignments/${assignment.id}`);
    expect(detail.body.quiz.questions[0]).toEqual({ prompt: 'Torque?', options: ['6 Nm', '12 Nm'] }); // no answers for the trainee
    expect((await operator.get(`/api/v1/document-revisions/${doc.revisionId}`)).body.data.quiz.questions[0].correctIndex).toBeUndefined();
    // Nor through the history: versions, audit trail and exports are for those who work on documents.
    for (const path of ['versions', 'audit-trail', 'export', 'signatures']) expect((await operator.get(`/api/v1/records/${doc.revisionId}/${path}`)).status).toBe(404);
    expect((await author.get(`/api/v1/records/${doc.revisionId}/versions`)).status).toBe(200);
    expect((await operator.post(`/api/v1/training/assignments/${assignment.id}/complete`, { version: detail.body.version, signature: sign('otto', 'read_understood') })).status).toBe(422);
    expect((await operator.post(`/api/v1/training/assignments/${assignment.id}/quiz`, { answers: [0, 0] })).body).toMatchObject({ scorePercent: 50, passed: false, attemptsLeft: 1, status: 'open' });
    expect((await operator.post(`/api/v1/training/assignments/${assignment.id}/quiz`, { answers: [1, 1] })).body).toMatchObject({ passed: false, attemptsLeft: 0, status: 'failed' });
    expect((await operator.post(`/api/v1/training/assignments/${assignment.id}/quiz`, { answers: [1, 0] })).status).toBe(409);
    const matrix = await approver.get(`/api/v1/training/matrix?documentId=${doc.documentId}`);
    const ottoRow = matrix.body.people.find((p: { id: string }) => p.id === people.otto.id);
    expect(ottoRow.cells[doc.documentId].status).toBe('failed');
    const again = await approver.post(`/api/v1/training/assignments/${assignment.id}/reassign`, { reason: 'Coached on torque; second chance' });
    expect(again.status).toBe(201);
    expect((await operator.post(`/api/v1/training/assignments/${again.body.id}/quiz`, { answers: [1, 0] })).body).toMatchObject({ passed: true, scorePercent: 100 });
    const retake = await operator.get(`/api/v1/training/assignments/${again.body.id}`);
    expect((await operator.post(`/api/v1/training/assignments/${again.body.id}/complete`, { version: retake.body.version, signature: sign('otto', 'read_understood') })).body).toMatchObject({ status: 'completed', method: 'quiz' });
  });

  it('instructor-led training: the trainer signs the session and the attendance completes each attendee', async () => {
    const doc = await approvedDocument({ title: 'Fire drill', method: 'instructor_led', effectiveAt: world.clock.now() });
    const assignment = await myOpen(operator, doc.number);
    expect((await operator.post(`/api/v1/training/assignments/${assignment.id}/complete`, { version: assignment.version, signature: sign('otto', 'read_understood') })).status).toBe(409);
    const heldAt = new Date(world.clock.now().getTime() - 3600_000).toISOString();
    const refused = await operator.post('/api/v1/training/sessions', { revisionId: doc.revisionId, heldAt, durationMinutes: 45, attendeeIds: [people.otto.id], signature: sign('otto', 'training_delivered') });
    expect(refused.status).toBe(403);
    const session = await trainer.post('/api/v1/training/sessions', { revisionId: doc.revisionId, heldAt, durationMinutes: 45, location: 'Room 2', attendeeIds: [people.otto.id, people.olga.id], signature: sign('tom', 'training_delivered') });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    expect(session.body).toMatchObject({ attendees: 2, completed: 2, trainerName: 'Tom Trainer' });
    const evidence = await approver.get(`/api/v1/document-revisions/${doc.revisionId}/training`);
    expect(evidence.body.rows.every((r: { status: string; method: string; signature: { manifestation: string } }) => r.status === 'completed' && r.method === 'instructor_led' && r.signature.manifestation.includes('Tom Trainer'))).toBe(true);
  });

  it('a document distributed to a role reaches whoever gets the role, and leaves whoever loses it or is deactivated', async () => {
    const doc = await approvedDocument({ title: 'Handling of trainer qualifications', effectiveAt: world.clock.now(), distribute: false });
    const current = await controller.get(`/api/v1/documents/${doc.documentId}`);
    expect((await controller.request('PUT', `/api/v1/documents/${doc.documentId}/distribution`, { version: current.body.version, reason: 'All trainers', roles: ['trainer'], jobFunctionIds: [], departments: [], userIds: [] })).status).toBe(200);
    expect(await myOpen(trainer, doc.number)).toMatchObject({ reason: 'new_requirement' });
    const admin = await world.user('adam', [{ role: 'sysadmin', siteCode: 'BER' }], 'Adam Admin');
    const adminClient = await world.signIn(admin.username);
    const hire = await world.user('terry', [{ role: 'operator', siteCode: 'BER' }], 'Terry Trainee');
    const terry = await world.signIn('terry');
    expect(await myOpen(terry, doc.number)).toBeUndefined();
    expect((await adminClient.request('PUT', `/api/v1/users/${hire.id}/roles`, { roles: [{ role: 'trainer', siteCode: 'BER' }], reason: 'Became a trainer' })).status).toBe(200);
    const assigned = await myOpen(terry, doc.number);
    expect(assigned).toBeTruthy();
    expect((await adminClient.request('PUT', `/api/v1/users/${hire.id}/roles`, { roles: [{ role: 'operator', siteCode: 'BER' }], reason: 'Back to operations' })).status).toBe(200);
    expect(await myOpen(terry, doc.number)).toBeUndefined();
    const ledger = await world.db.query<{ event: string }>('SELECT event FROM training_ledger WHERE assignment_id = $1 ORDER BY seq', [assigned.id]);
    expect(ledger.map((l) => l.event)).toEqual(['assigned', 'superseded']);
  });

  it('concurrent distribution and profile changes on the same document all succeed and leave one current assignment per person', async () => {
    const doc = await approvedDocument({ title: 'Concurrent onboarding', effectiveAt: world.clock.now(), distribute: false });
    const fn = (await controller.post('/api/v1/job-functions', { code: 'PACK-OP', name: 'Packaging operator' })).body.id;
    const hires = await Promise.all([1, 2, 3, 4, 5].map((n) => world.user(`pack${n}`, [{ role: 'operator', siteCode: 'BER' }], `Packer ${n}`)));
    const current = await controller.get(`/api/v1/documents/${doc.documentId}`);
    const responses = await Promise.all([
      controller.request('PUT', `/api/v1/documents/${doc.documentId}/distribution`, { version: current.body.version, reason: 'Packaging reads it', jobFunctionIds: [fn], departments: [], userIds: [] }),
      ...hires.map((h) => controller.request('PUT', `/api/v1/users/${h.id}/training-profile`, { reason: 'New packer', department: 'PKG', managerId: null, jobFunctionIds: [fn] })),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const rows = await world.db.query<{ user_id: string; n: number }>('SELECT user_id, count(*)::int AS n FROM training_assignment WHERE document_id = $1 AND current GROUP BY user_id', [doc.documentId]);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('a new person in a job function is assigned what the function needs at once; the matrix and its exports show everyone', async () => {
    const doc = await approvedDocument({ title: 'Pre-use integrity test', effectiveAt: world.clock.now() });
    const hire = await world.user('nina', [{ role: 'operator', siteCode: 'BER' }], 'Nina Newhire');
    const nina = await world.signIn('nina');
    expect(await myOpen(nina, doc.number)).toBeUndefined();
    const profile = await controller.request('PUT', `/api/v1/users/${hire.id}/training-profile`, { reason: 'New hire', department: 'PRD', managerId: people.mia.id, jobFunctionIds: [fillingOperators] });
    expect(profile.status).toBe(200);
    const assigned = await myOpen(nina, doc.number);
    expect(assigned).toMatchObject({ reason: 'new_requirement', versionLabel: '1.0' });
    expect(Date.parse(assigned.dueAt) - world.clock.now().getTime()).toBe(14 * DAY);
    const page = await approver.get('/api/v1/training/matrix?department=PRD&limit=2');
    expect(page.status).toBe(200);
    expect(page.body.people).toHaveLength(2);
    const rest = await approver.get(`/api/v1/training/matrix?department=PRD&limit=2&cursor=${page.body.nextCursor}`);
    const everyone = [...page.body.people, ...rest.body.people].map((p: { fullName: string }) => p.fullName);
    expect(everyone).toEqual(['Mia Manager', 'Nina Newhire', 'Olga Operator', 'Otto Operator'].filter((n) => n !== 'Mia Manager'));
    for (const status of ['current', 'due', 'overdue', 'missing', 'failed']) {
      const filtered = await approver.get(`/api/v1/training/matrix?department=PRD&status=${status}`);
      expect(filtered.status, status).toBe(200);
    }
    const due = await approver.get(`/api/v1/training/matrix?department=PRD&status=due&documentId=${doc.documentId}`);
    expect(due.body.people.map((p: { fullName: string }) => p.fullName)).toContain('Nina Newhire');
    const summary = await approver.get('/api/v1/training/matrix/summary?department=PRD');
    expect(summary.body.people).toBe(3);
    const csv = await approver.get('/api/v1/training/matrix.csv?department=PRD');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`Nina Newhire,nina,PRD,${doc.number},Pre-use integrity test,1.0,due`);
    const xlsx = await world.app.inject({ method: 'GET', url: '/api/v1/training/matrix.xlsx?department=PRD', headers: { cookie: `verity_session=${approver.cookie}` } });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('[P211-25-1] recurrent training expires: retraining is assigned before expiry and, if not done, the person is no longer qualified', async () => {
    const course = await approvedDocument({ docType: 'course', title: 'GMP basics', effectiveAt: world.clock.now() });
    expect((await train(operator, 'otto', (await myOpen(operator, course.number)).id)).status).toBe(200);
    const trainedAt = world.clock.now();
    const q = async () => (await approver.get(`/api/v1/training/qualification?userId=${people.otto.id}&documentId=${course.documentId}`)).body;
    expect(await q()).toMatchObject({ qualified: true });
    expect((await assignPeriodicRetraining(world.services)).assigned).toBe(0);
    world.clock.advance(340 * DAY);
    expect((await assignPeriodicRetraining(world.services)).assigned).toBeGreaterThanOrEqual(1);
    const periodic = await myOpen(operator, course.number);
    expect(periodic).toMatchObject({ reason: 'periodic', versionLabel: '1.0' });
    expect(await q()).toMatchObject({ qualified: true }); // still valid until it expires
    world.clock.advance(30 * DAY);
    const expired = await q();
    expect(expired.qualified).toBe(false);
    expect(expired.explanation).toContain('expired');
    const cell = (await approver.get(`/api/v1/training/matrix?documentId=${course.documentId}`)).body.people.find((p: { id: string }) => p.id === people.otto.id).cells[course.documentId];
    expect(cell.status).toBe('overdue');
    expect((await train(operator, 'otto', periodic.id)).status).toBe(200);
    expect(await q()).toMatchObject({ qualified: true });
    expect(Date.parse((await q()).completion.validUntil)).toBeGreaterThan(trainedAt.getTime() + 700 * DAY);
  });

  it('overdue training reminds the trainee each day and escalates to the manager after the configured days, in-app and by e-mail', async () => {
    const doc = await approvedDocument({ title: 'Sterile filtration', effectiveAt: new Date(world.clock.now().getTime() + DAY) });
    world.clock.advance(2 * DAY);
    await makeDueRevisionsEffective(world.services);
    const run = async () => {
      const result = await remindOverdueTraining(world.services);
      const jobs = await world.db.query<{ id: string; data: Record<string, unknown> }>("SELECT id, data FROM pgboss.job WHERE name = 'mail-send' AND state = 'created'");
      for (const job of jobs) {
        await handlers['mail.send'](world.services, job);
        await world.db.query("UPDATE pgboss.job SET state = 'completed' WHERE id = $1", [job.id]);
      }
      return result;
    };
    const subject = `Overdue training: ${doc.number} v1.0 — Sterile filtration`;
    const first = await run();
    expect(first.reminded).toBeGreaterThanOrEqual(2);
    await sink.waitFor((m) => m.subject === subject && m.to.includes('otto@example.test'));
    const notifications = await operator.get('/api/v1/notifications');
    expect(JSON.stringify(notifications.body)).toContain(`Overdue training: ${doc.number}`);
    const again = await run();
    expect(again.reminded).toBe(0); // once a day
    world.clock.advance(7 * DAY);
    const later = await run();
    expect(later.escalated).toBeGreaterThanOrEqual(2);
    const escalation = await sink.waitFor((m) => m.subject.startsWith('Escalation') && m.subject.includes(doc.number) && m.to.includes('mia@example.test'));
    expect(escalation.text).toContain('not qualified');
    expect((await run()).escalated).toBe(0); // once
  });
});

describe('the training gate on signatures', () => {
  it('[P11-10i-1] a person untrained on the current revision of a governing procedure cannot sign records of that process; training lifts the block, a new revision restores it', async () => {
    const governing = await approvedDocument({ title: 'Reviewing controlled documents', effectiveAt: world.clock.now(), distribute: false });
    const doc = await controller.get(`/api/v1/documents/${governing.documentId}`);
    const distributed = await controller.request('PUT', `/api/v1/documents/${governing.documentId}/distribution`, { version: doc.body.version, reason: 'Reviewers must know it', jobFunctionIds: [], departments: [], userIds: [people.rex.id] });
    expect(distributed.status).toBe(200);
    expect((await reviewer1.patch(`/api/v1/documents/${governing.documentId}`, { version: distributed.body.version, reason: 'x', governs: ['document_revision'] })).status).toBe(403);
    const governs = await controller.patch(`/api/v1/documents/${governing.documentId}`, { version: distributed.body.version, reason: 'Gate document review on this SOP', governs: ['document_revision'] });
    expect(governs.status).toBe(200);
    expect(governs.body.data.governs).toEqual(['document_revision']);

    const draft = await author.post('/api/v1/documents', { docType: 'sop', siteCode: 'BER', department: 'QA', title: 'Label reconciliation', changeSummary: 'First issue' });
    const id = draft.body.revisions[0].id;
    expect((await edit(author, id, { body: 'Reconcile labels.', reviewerIds: [people.rex.id] })).status).toBe(200);
    expect((await revisionStep(author, id, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    const signaturesBefore = await world.count('signature');
    const blocked = await revisionStep(reviewer1, id, { action: 'review', signature: sign('rex', 'review') });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('TRAINING_NOT_CURRENT');
    expect(blocked.body.detail).toContain(`${governing.number} v1.0`);
    expect(await world.count('signature')).toBe(signaturesBefore); // nothing written
    expect((await author.get(`/api/v1/document-revisions/${id}`)).body.status).toBe('in_review');

    expect((await train(reviewer1, 'rex', (await myOpen(reviewer1, governing.number)).id)).status).toBe(200);
    expect((await revisionStep(reviewer1, id, { action: 'review', signature: sign('rex', 'review') })).status).toBe(200);

    // A new revision of the governing SOP that needs retraining blocks Rex again until he is retrained.
    const v2 = await author.post(`/api/v1/documents/${governing.documentId}/revisions`, { changeType: 'major', changeSummary: 'Adds risk-based review depth' });
    expect((await edit(author, v2.body.id, { body: 'Review depth follows risk.', reviewerIds: [people.rita.id] })).status).toBe(200);
    expect((await revisionStep(author, v2.body.id, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    expect((await revisionStep(reviewer2, v2.body.id, { action: 'review', signature: sign('rita', 'review') })).status).toBe(200);
    expect((await revisionStep(approver, v2.body.id, { action: 'approve', fields: { effectiveAt: world.clock.now().toISOString(), trainingImpact: 'retrain_all' }, signature: sign('quinn', 'approval') })).body.status).toBe('effective');
    const next = await author.post('/api/v1/documents', { docType: 'sop', siteCode: 'BER', department: 'QA', title: 'Line clearance after labelling', changeSummary: 'First issue' });
    const nextId = next.body.revisions[0].id;
    expect((await edit(author, nextId, { body: 'Clear the line.', reviewerIds: [people.rex.id] })).status).toBe(200);
    expect((await revisionStep(author, nextId, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    const again = await revisionStep(reviewer1, nextId, { action: 'review', signature: sign('rex', 'review') });
    expect(again.body).toMatchObject({ code: 'TRAINING_NOT_CURRENT', detail: expect.stringContaining(`${governing.number} v2.0`) });
    expect((await train(reviewer1, 'rex', (await myOpen(reviewer1, governing.number)).id)).status).toBe(200);
    expect((await revisionStep(reviewer1, nextId, { action: 'review', signature: sign('rex', 'review') })).status).toBe(200);
  });
});
