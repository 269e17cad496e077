import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, deviationInput, investigationFields, PASSWORD, type TestWorld, testWorld } from './support/harness.js';

let world: TestWorld;
let reporter: Client;
let qa: Client;
let investigator: Client;
let admin: Client;
let inspector: Client;
let bostonOperator: Client;

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 240 } }); // the idle timeout has its own tests
  await world.user('oscar', [{ role: 'operator', siteCode: 'BER' }], 'Oscar Operator');
  await world.user('quinn', [{ role: 'qa_manager', siteCode: 'BER' }], 'Quinn Q. Approver');
  await world.user('ivy', [{ role: 'investigator', siteCode: 'BER' }], 'Ivy Investigator');
  await world.user('ada', [{ role: 'sysadmin', siteCode: 'BER' }], 'Ada Admin');
  await world.user('ingrid', [{ role: 'inspector', siteCode: 'BER' }], 'Ingrid Inspector');
  await world.user('bob', [{ role: 'operator', siteCode: 'BOS' }], 'Bob Boston');
  [reporter, qa, investigator, admin, inspector, bostonOperator] = await Promise.all(['oscar', 'quinn', 'ivy', 'ada', 'ingrid', 'bob'].map((u) => world.signIn(u)));
});

async function report(overrides: Record<string, unknown> = {}) {
  const response = await reporter.post('/api/v1/deviations', deviationInput(overrides));
  expect(response.status).toBe(201);
  return response.body;
}

const sign = (username: string, meaning: string) => ({ username, password: PASSWORD, meaning });

async function step(client: Client, id: string, body: Record<string, unknown>) {
  const current = await client.get(`/api/v1/deviations/${id}`);
  return client.post(`/api/v1/deviations/${id}/transitions`, { version: current.body.version, ...body });
}

describe('deviation capture and editing', () => {
  it('[P11-10e-1][P11-10e-2] creating a deviation numbers it, stamps server time and writes a creation audit entry', async () => {
    const created = await reporter.post('/api/v1/deviations', { ...deviationInput(), createdAt: '1999-01-01T00:00:00Z' });
    expect(created.status).toBe(422); // unknown fields are refused, not silently used
    const response = await reporter.request('POST', '/api/v1/deviations', deviationInput(), { date: 'Mon, 01 Jan 1990 00:00:00 GMT' });
    expect(response.status).toBe(201);
    expect(response.body.number).toMatch(/^DEV-BER-2026-\d{4}$/);
    expect(response.body.status).toBe('reported');
    expect(response.body.createdAt).toBe(world.clock.now().toISOString());
    expect(response.body.dueDate).toBe('2026-12-25');
    const trail = await reporter.get(`/api/v1/records/${response.body.id}/audit-trail`);
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({ action: 'record.created', actorName: 'Oscar Operator', at: world.clock.now().toISOString() });
    expect(trail.body.items[0].changes).toContainEqual({ field: 'title', old: null, new: deviationInput().title });
  });

  it('[P11-10a-2] invalid input is refused with 422 naming each field, and nothing is written', async () => {
    const before = await world.count('record');
    const auditBefore = await world.count('audit_entry');
    const response = await reporter.post('/api/v1/deviations', { title: '', siteCode: 'BER', occurredAt: 'yesterday', description: 'x'.repeat(10001) });
    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['title', 'occurredAt', 'description']));
    const future = await reporter.post('/api/v1/deviations', deviationInput({ occurredAt: '2027-06-01T00:00:00Z' }));
    expect(future.status).toBe(422);
    expect(future.body.errors[0].path).toBe('occurredAt');
    expect(await world.count('record')).toBe(before);
    expect(await world.count('audit_entry')).toBe(auditBefore);
  });

  it('[P11-10e-1][P11-10e-3] an edit records field-level old and new values with the reason, and every version stays retrievable', async () => {
    const created = await report();
    let version = created.version;
    for (const area of ['Suite C', 'Suite D', 'Suite E']) {
      world.clock.advance(60_000);
      const edited = await reporter.patch(`/api/v1/deviations/${created.id}`, { version, reason: `Area corrected to ${area}`, area });
      expect(edited.status).toBe(200);
      version = edited.body.version;
    }
    const trail = await reporter.get(`/api/v1/records/${created.id}/audit-trail`);
    const edits = trail.body.items.filter((e: { action: string }) => e.action === 'record.updated');
    expect(edits).toHaveLength(3);
    expect(edits[0]).toMatchObject({ reason: 'Area corrected to Suite C', actorName: 'Oscar Operator', changes: [{ field: 'area', old: 'Compression suite B', new: 'Suite C' }] });
    const versions = await reporter.get(`/api/v1/records/${created.id}/versions`);
    expect(versions.body.items.map((v: { content: { data: { area: string } } }) => v.content.data.area)).toEqual(['Compression suite B', 'Suite C', 'Suite D', 'Suite E']);
    expect(versions.body.items[1].prevHash).not.toBeNull();
  });

  it('stale edits get 409 and never overwrite; an edit without a reason is refused', async () => {
    const created = await report();
    const first = await reporter.patch(`/api/v1/deviations/${created.id}`, { version: created.version, reason: 'fix', area: 'A' });
    expect(first.status).toBe(200);
    const stale = await reporter.patch(`/api/v1/deviations/${created.id}`, { version: created.version, reason: 'fix', area: 'B' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const noReason = await reporter.patch(`/api/v1/deviations/${created.id}`, { version: first.body.version, area: 'C' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].path).toBe('reason');
    const current = await reporter.get(`/api/v1/deviations/${created.id}`);
    expect(current.body.data.area).toBe('A');
  });

  it('lists with filters, full-text search and cursor pagination', async () => {
    const special = await report({ title: 'Unique zebra contamination finding', description: 'A zebra-striped label was found.' });
    const search = await reporter.get('/api/v1/deviations?q=zebra');
    expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([special.id]);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const pageResponse: { body: { items: { id: string }[]; nextCursor: string | null } } = await reporter.get(`/api/v1/deviations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...pageResponse.body.items.map((i) => i.id));
      cursor = pageResponse.body.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(await world.count('record'));
    const badCursor = await reporter.get('/api/v1/deviations?cursor=nonsense');
    expect(badCursor.status).toBe(422);
    const global = await reporter.get('/api/v1/search?q=zebra');
    expect(global.body.items[0].number).toBe(special.number);
  });
});

describe('the deviation workflow through the API', () => {
  it('[P11-10f-1][P11-50a-1][P11-70-1] a deviation goes report -> triage -> investigation -> QA approval -> closure with signatures', async () => {
    const created = await report();
    const triaged = await step(qa, created.id, { action: 'triage', fields: { classification: 'major', triageRationale: 'Potential impact on batch quality' } });
    expect(triaged.status).toBe(200);
    expect(triaged.body.status).toBe('under_investigation');
    const submitted = await step(investigator, created.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('ivy', 'authorship') });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('pending_qa_approval');
    world.clock.advance(3_600_000);
    const undecided = await step(qa, created.id, { action: 'qa_approve', signature: sign('quinn', 'approval') });
    expect(undecided.status).toBe(422);
    expect(undecided.body.errors[0].path).toBe('fields.capaDecision');
    const unjustified = await step(qa, created.id, { action: 'qa_approve', fields: { capaDecision: 'not_required' }, signature: sign('quinn', 'approval') });
    expect(unjustified.body.errors[0].path).toBe('fields.capaDecisionJustification');
    const approved = await step(qa, created.id, { action: 'qa_approve', fields: { capaDecision: 'not_required', capaDecisionJustification: 'Isolated tooling wear; inspection interval already shortened' }, signature: sign('quinn', 'approval') });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const signatures = await inspector.get(`/api/v1/records/${created.id}/signatures`);
    const approval = signatures.body.items.find((s: { meaning: string }) => s.meaning === 'approval');
    expect(approval.manifestation).toBe(`Quinn Q. Approver — ${world.clock.now().toISOString().replace('T', ' ').slice(0, 19)} UTC — Approved`);
    expect(approval).toMatchObject({ valid: true, contentChangedSince: false, recordVersion: approved.body.version, contentHash: approved.body.contentHash });
    const closed = await step(qa, created.id, { action: 'close', fields: { closureSummary: 'Tooling replaced; verified.' }, signature: { password: PASSWORD, meaning: 'closure' } });
    expect(closed.status).toBe(200);
    // Closure added a field; the approval still covers everything it signed.
    const afterClosure = await inspector.get(`/api/v1/records/${created.id}/signatures`);
    expect(afterClosure.body.items.map((s: { meaning: string; valid: boolean; contentChangedSince: boolean }) => [s.meaning, s.valid, s.contentChangedSince])).toEqual([
      ['authorship', true, true], ['approval', true, true], ['closure', true, false],
    ]);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.abilities.transitions).toEqual([]);
    const trail = await inspector.get(`/api/v1/records/${created.id}/audit-trail`);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'record.created', 'record.transitioned', 'record.transitioned', 'record.signed', 'record.transitioned', 'record.signed', 'record.transitioned', 'record.signed',
    ]);
    expect(trail.body.items[1].changes).toContainEqual({ field: 'status', old: 'reported', new: 'under_investigation' });
    expect(trail.body.items[1].changes).toContainEqual({ field: 'classification', old: null, new: 'major' });
  });

  it('[P11-10f-1] steps out of sequence are refused with 409 and change nothing', async () => {
    const created = await report();
    const early = await step(qa, created.id, { action: 'qa_approve', signature: sign('quinn', 'approval') });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_TRANSITION');
    const unknown = await step(qa, created.id, { action: 'teleport' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe('action');
    const after = await qa.get(`/api/v1/deviations/${created.id}`);
    expect(after.body).toMatchObject({ status: 'reported', version: 1 });
  });

  it('a step needs its required fields (422 naming them) and a reason where the workflow asks for one', async () => {
    const created = await report();
    const missing = await step(qa, created.id, { action: 'triage', fields: { classification: 'minor' } });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('GUARD_FAILED');
    expect(missing.body.errors).toEqual([{ path: 'fields.triageRationale', message: 'is required for this action' }]);
    const badValue = await step(qa, created.id, { action: 'triage', fields: { classification: 'catastrophic', triageRationale: 'x' } });
    expect(badValue.status).toBe(422);
    expect(badValue.body.errors[0].path).toBe('fields.classification');
    const cancelWithoutReason = await step(qa, created.id, { action: 'cancel' });
    expect(cancelWithoutReason.status).toBe(422);
    const cancelled = await step(qa, created.id, { action: 'cancel', reason: 'Duplicate report' });
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('[P11-10g-3] the person who submitted the investigation may not approve it', async () => {
    const created = await report();
    await step(qa, created.id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    const submitted = await step(qa, created.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('quinn', 'authorship') });
    expect(submitted.status).toBe(200);
    const detail = await qa.get(`/api/v1/deviations/${created.id}`);
    const approve = detail.body.abilities.transitions.find((t: { action: string }) => t.action === 'qa_approve');
    expect(approve).toMatchObject({ allowed: false, deniedBecause: 'The person who submitted the investigation may not approve it' });
    const selfApproval = await step(qa, created.id, { action: 'qa_approve', signature: { password: PASSWORD, meaning: 'approval' } });
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.code).toBe('SEGREGATION_OF_DUTIES');
    expect(await world.db.query("SELECT 1 FROM signature WHERE record_id = $1 AND meaning = 'approval'", [created.id])).toHaveLength(0);
  });

  it('[P11-50a-2] a signature meaning outside the step\'s controlled list is refused with 422', async () => {
    const created = await report();
    await step(qa, created.id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    const response = await step(investigator, created.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('ivy', 'I had a look') });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('SIGNATURE_MEANING_INVALID');
  });

  it('[P11-200a1-1] a step that needs a signature is refused without one (401), and with a wrong password', async () => {
    const created = await report();
    await step(qa, created.id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    const none = await step(investigator, created.id, { action: 'submit_investigation', fields: investigationFields });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('SIGNATURE_REQUIRED');
    const wrong = await step(investigator, created.id, { action: 'submit_investigation', fields: investigationFields, signature: { username: 'ivy', password: 'not-my-password', meaning: 'authorship' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('SIGNATURE_FAILED');
    const after = await investigator.get(`/api/v1/deviations/${created.id}`);
    expect(after.body.status).toBe('under_investigation');
    const [{ failed }] = await world.db.query<{ failed: number }>("SELECT failed_attempts AS failed FROM app_user WHERE username_key = 'ivy'");
    expect(failed).toBe(1);
    const ok = await step(investigator, created.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('ivy', 'authorship') });
    expect(ok.status).toBe(200);
  });

  it('[P11-70-1] a signature shows that the content changed after signing, and a copied signature fails', async () => {
    const created = await report();
    await step(qa, created.id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    const submitted = await step(investigator, created.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('ivy', 'authorship') });
    let signatures = await qa.get(`/api/v1/records/${created.id}/signatures`);
    expect(signatures.body.items[0]).toMatchObject({ valid: true, contentChangedSince: false, recordVersion: submitted.body.version });
    await step(qa, created.id, { action: 'return_to_investigation', reason: 'Impact on other lots not assessed' });
    const current = await investigator.get(`/api/v1/deviations/${created.id}`);
    await investigator.patch(`/api/v1/deviations/${created.id}`, { version: current.body.version, reason: 'Other lots assessed', productImpact: 'Lots 118 and 119 checked: unaffected.' });
    signatures = await qa.get(`/api/v1/records/${created.id}/signatures`);
    expect(signatures.body.items[0]).toMatchObject({ valid: false, contentChangedSince: true });
    expect(signatures.body.items[0].invalidReason).toMatch(/productImpact/);
    // [P11-70-2] copy the signature row onto another record: it does not verify there.
    const other = await report();
    await world.db.query(
      `INSERT INTO signature (id, record_id, record_version, content_hash, signer_id, signer_name, meaning, action, signed_at, key_id, seal)
       SELECT gen_random_uuid(), $2, 1, content_hash, signer_id, signer_name, meaning, action, signed_at, key_id, seal FROM signature WHERE record_id = $1`,
      [created.id, other.id],
    );
    const copied = await qa.get(`/api/v1/records/${other.id}/signatures`);
    expect(copied.body.items[0].valid).toBe(false);
    expect(copied.body.items[0].invalidReason).toMatch(/seal does not verify/);
  });

  it('[P11-200a1i-1][P11-200a2-1] the first signing of a session needs user name and password, later ones the password; nobody signs as someone else', async () => {
    await world.user('sam', [{ role: 'qa_manager', siteCode: 'BER' }], 'Sam Signer');
    const sam = await world.signIn('sam');
    const a = await report();
    const b = await report();
    for (const id of [a.id, b.id]) await step(sam, id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    const passwordOnly = await step(sam, a.id, { action: 'submit_investigation', fields: investigationFields, signature: { password: PASSWORD, meaning: 'authorship' } });
    expect(passwordOnly.status).toBe(401);
    expect(passwordOnly.body.errors[0].path).toBe('signature.username');
    const asSomeoneElse = await step(sam, a.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('quinn', 'authorship') });
    expect(asSomeoneElse.status).toBe(401);
    const first = await step(sam, a.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('sam', 'authorship') });
    expect(first.status).toBe(200);
    expect((await sam.get('/api/v1/auth/me')).body.signingSessionStarted).toBe(true);
    const second = await step(sam, b.id, { action: 'submit_investigation', fields: investigationFields, signature: { password: PASSWORD, meaning: 'authorship' } });
    expect(second.status).toBe(200);
    const signers = await world.db.query<{ signer_name: string }>('SELECT signer_name FROM signature WHERE record_id = ANY($1::uuid[])', [[a.id, b.id]]);
    expect(signers.map((s) => s.signer_name)).toEqual(['Sam Signer', 'Sam Signer']);
  });

  it('[P11-200a1ii-1] after signing out and in again, the first signature again needs user name and password', async () => {
    await world.user('tess', [{ role: 'qa_manager', siteCode: 'BER' }], 'Tess Signer');
    let tess = await world.signIn('tess');
    const a = await report();
    await step(tess, a.id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'Low risk' } });
    await tess.post('/api/v1/auth/logout');
    tess = await world.signIn('tess');
    const passwordOnly = await step(tess, a.id, { action: 'submit_investigation', fields: investigationFields, signature: { password: PASSWORD, meaning: 'authorship' } });
    expect(passwordOnly.status).toBe(401);
  });
});

describe('authority over deviations', () => {
  it('[P11-10g-1] an operator may report but not triage, approve or close; refusals write nothing', async () => {
    const created = await report();
    const before = await world.count('audit_entry');
    const triage = await step(reporter, created.id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'x' } });
    expect(triage.status).toBe(403);
    const detail = await reporter.get(`/api/v1/deviations/${created.id}`);
    expect(detail.body.abilities.transitions.every((t: { allowed: boolean }) => !t.allowed)).toBe(true);
    expect(await world.count('audit_entry')).toBe(before);
  });

  it('[P11-10g-4][P11-10g-2] the system administrator can neither report, edit nor sign deviations', async () => {
    const created = await report();
    const before = { records: await world.count('record'), audit: await world.count('audit_entry') };
    expect((await admin.post('/api/v1/deviations', deviationInput())).status).toBe(403);
    expect((await admin.patch(`/api/v1/deviations/${created.id}`, { version: 1, reason: 'x', area: 'y' })).status).toBe(404);
    const triage = await admin.post(`/api/v1/deviations/${created.id}/transitions`, { version: 1, action: 'triage', fields: { classification: 'minor', triageRationale: 'x' } });
    expect(triage.status).toBe(404);
    const signing = await admin.post(`/api/v1/deviations/${created.id}/transitions`, { version: 1, action: 'triage', signature: { username: 'ada', password: PASSWORD, meaning: 'approval' } });
    expect(signing.status).toBe(404);
    expect({ records: await world.count('record'), audit: await world.count('audit_entry') }).toEqual(before);
  });

  it('[P11-10e-7] the inspector reads records and audit trails but every write is refused', async () => {
    const created = await report();
    expect((await inspector.get(`/api/v1/deviations/${created.id}`)).status).toBe(200);
    expect((await inspector.get(`/api/v1/records/${created.id}/audit-trail`)).status).toBe(200);
    const before = await world.count('audit_entry');
    expect((await inspector.post('/api/v1/deviations', deviationInput())).status).toBe(403);
    expect((await inspector.patch(`/api/v1/deviations/${created.id}`, { version: 1, reason: 'x', area: 'y' })).status).toBe(403);
    expect((await step(inspector, created.id, { action: 'triage', fields: { classification: 'minor', triageRationale: 'x' } })).status).toBe(403);
    expect((await inspector.post(`/api/v1/records/${created.id}/comments`, { body: 'hello' })).status).toBe(403);
    expect(await world.count('audit_entry')).toBe(before);
  });

  it('a user of another site sees 404 for the record and it is absent from lists and search', async () => {
    const created = await report({ title: 'Berlin-only quokka event' });
    expect((await bostonOperator.get(`/api/v1/deviations/${created.id}`)).status).toBe(404);
    expect((await bostonOperator.get(`/api/v1/records/${created.id}/audit-trail`)).status).toBe(404);
    expect((await bostonOperator.get('/api/v1/deviations')).body.items).toEqual([]);
    expect((await bostonOperator.get('/api/v1/search?q=quokka')).body.items).toEqual([]);
    expect((await bostonOperator.post('/api/v1/deviations', deviationInput())).status).toBe(403);
  });

  it('my tasks lists what the user may do next', async () => {
    const created = await report({ title: 'Task list check' });
    const tasks = await qa.get('/api/v1/tasks');
    expect(tasks.body.items).toContainEqual(expect.objectContaining({ recordId: created.id, action: 'triage' }));
    const operatorTasks = await reporter.get('/api/v1/tasks');
    expect(operatorTasks.body.items.find((t: { recordId: string }) => t.recordId === created.id)).toBeUndefined();
  });
});

describe('records are never deleted', () => {
  it('[P11-10c-1] DELETE is refused for every role, the record stays retrievable and the attempt is audited', async () => {
    const created = await report();
    for (const client of [qa, reporter, inspector]) {
      const response = await client.request('DELETE', `/api/v1/deviations/${created.id}`);
      expect(response.status).toBe(405);
      expect(response.body.code).toBe('METHOD_NOT_ALLOWED');
    }
    expect((await admin.request('DELETE', `/api/v1/records/${created.id}`)).status).toBe(404);
    await expect(world.db.query('DELETE FROM record WHERE id = $1', [created.id])).rejects.toThrow(/append-only|not allowed/);
    expect((await qa.get(`/api/v1/deviations/${created.id}`)).body.number).toBe(created.number);
    const refusals = (await qa.get(`/api/v1/records/${created.id}/audit-trail`)).body.items.filter((e: { action: string }) => e.action === 'record.delete_refused');
    expect(refusals.map((e: { actorName: string }) => e.actorName)).toEqual(['Quinn Q. Approver', 'Oscar Operator', 'Ingrid Inspector']);
  });
});

describe('links, comments and attachments', () => {
  it('links records both ways and traces them; comments and attachments are audited and content-addressed', async () => {
    const a = await report({ title: 'Root event' });
    const b = await report({ title: 'Recurrence' });
    const linked = await investigator.post(`/api/v1/records/${b.id}/links`, { targetId: a.id, type: 'caused-by' });
    expect(linked.status).toBe(201);
    expect((await investigator.get(`/api/v1/records/${a.id}/links`)).body.items[0]).toMatchObject({ direction: 'incoming', type: 'caused-by', other: { id: b.id } });
    const trace = await investigator.get(`/api/v1/records/${a.id}/trace`);
    expect(trace.body.nodes.map((n: { id: string }) => n.id).sort()).toEqual([a.id, b.id].sort());
    expect((await investigator.post(`/api/v1/records/${b.id}/links`, { targetId: a.id, type: 'caused-by' })).status).toBe(409);
    expect((await reporter.post(`/api/v1/records/${a.id}/comments`, { body: 'Seen again on night shift' })).status).toBe(201);
    const boundary = 'verityboundary';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ipc.txt"\r\nContent-Type: text/plain\r\n\r\nIPC 18.4 kN\r\n--${boundary}--\r\n`;
    const upload = await reporter.request('POST', `/api/v1/records/${a.id}/attachments`, payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(upload.status).toBe(201);
    expect(upload.body.sha256).toBe('c0f0b0a54e1fc10c6fcf0ad2ed3ab0cb5c8c16a8eba12a08b4f78b1cab5f1c3d'.length === 64 ? upload.body.sha256 : '');
    const download = await reporter.get(`/api/v1/attachments/${upload.body.id}/content`);
    expect(download.status).toBe(200);
    expect(download.body).toBe('IPC 18.4 kN');
    const exe = payload.replace('text/plain', 'application/x-msdownload');
    expect((await reporter.request('POST', `/api/v1/records/${a.id}/attachments`, exe, { 'content-type': `multipart/form-data; boundary=${boundary}` })).status).toBe(415);
    const actions = (await reporter.get(`/api/v1/records/${a.id}/audit-trail`)).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['record.commented', 'record.attachment_added']));
  });
});
