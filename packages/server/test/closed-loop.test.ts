import { makeDueRevisionsEffective, remindOverdueRecords } from '@verity/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Client, deviationInput, investigationFields, PASSWORD, type TestWorld, testWorld } from './support/harness.js';

const DAY = 86400_000;
let world: TestWorld;
let qa: Client; // Quinn, QA manager: approves
let lead: Client; // Lena, QA reviewer: owns CAPAs
let investigator: Client;
let operator: Client;
let docs: Client;
let trainer: Client;
const people: Record<string, { id: string; username: string; fullName: string }> = {};

beforeAll(async () => {
  world = await testWorld({ settings: { sessionIdleMinutes: 60 * 24 * 365, sessionAbsoluteHours: 24 * 365, passwordMaxAgeDays: 3650 } });
  for (const [username, role, name] of [
    ['quinn', 'qa_manager', 'Quinn QA-Manager'], ['lena', 'qa_reviewer', 'Lena Lead'], ['ivy', 'investigator', 'Ivy Investigator'], ['otto', 'operator', 'Otto Operator'],
    ['dora', 'document_controller', 'Dora Documents'], ['tom', 'trainer', 'Tom Trainer'],
  ]) {
    people[username] = await world.user(username, [{ role, siteCode: 'BER' }], name);
  }
  [qa, lead, investigator, operator, docs, trainer] = await Promise.all(['quinn', 'lena', 'ivy', 'otto', 'dora', 'tom'].map((u) => world.signIn(u)));
});

const sign = (username: string, meaning: string) => ({ username, password: PASSWORD, meaning });

async function step(client: Client, kind: string, id: string, body: Record<string, unknown>) {
  const current = await client.get(`/api/v1/${kind}/${id}`);
  return client.post(`/api/v1/${kind}/${id}/transitions`, { version: current.body.version, ...body });
}
async function patch(client: Client, kind: string, id: string, fields: Record<string, unknown>) {
  const current = await client.get(`/api/v1/${kind}/${id}`);
  return client.patch(`/api/v1/${kind}/${id}`, { version: current.body.version, reason: 'Assessment', ...fields });
}

/** A deviation taken to QA approval with the decision that a CAPA is required. */
async function deviationNeedingCapa() {
  const created = (await operator.post('/api/v1/deviations', deviationInput())).body;
  expect((await step(qa, 'deviations', created.id, { action: 'triage', fields: { classification: 'major', triageRationale: 'Batch at risk' } })).status).toBe(200);
  expect((await step(investigator, 'deviations', created.id, { action: 'submit_investigation', fields: investigationFields, signature: sign('ivy', 'authorship') })).status).toBe(200);
  const approved = await step(qa, 'deviations', created.id, { action: 'qa_approve', fields: { capaDecision: 'required', batchImpact: 'LOT 24-117 quarantined' }, signature: sign('quinn', 'approval') });
  expect(approved.status).toBe(200);
  return created;
}

describe('the closed loop: deviation -> CAPA -> change -> document revision -> training', () => {
  it('[P211-192-1][ISO13485-8.5.2-1] the whole loop through the API, each step linked, traced and enforced', async () => {
    // Deviation: QA decided a CAPA is required, so it cannot close without one.
    const deviation = await deviationNeedingCapa();
    const early = await step(qa, 'deviations', deviation.id, { action: 'close', fields: { closureSummary: 'Done' }, signature: sign('quinn', 'closure') });
    expect(early.status).toBe(422);
    expect(early.body.errors[0].path).toBe('capa');
    expect((await qa.get(`/api/v1/deviations/${deviation.id}`)).body.abilities.transitions.find((t: { action: string }) => t.action === 'close')).toMatchObject({ allowed: false });

    // CAPA from the deviation, in one action, linked both ways.
    const capa = await lead.post('/api/v1/capas', { title: 'Punch wear not detected', siteCode: 'BER', sourceType: 'deviation', sourceRecordId: deviation.id, problemStatement: 'Worn punches pass the inspection', riskSeverity: 4, riskOccurrence: 3 });
    expect(capa.status).toBe(201);
    expect(capa.body).toMatchObject({ number: expect.stringMatching(/^CAPA-BER-2026-\d{4}$/), status: 'open', riskScore: 12, data: { priority: 'high', sourceNumber: deviation.number } });
    const deviationLinks = (await qa.get(`/api/v1/records/${deviation.id}/links`)).body.items;
    expect(deviationLinks.map((l: { other: { number: string } }) => l.other.number)).toContain(capa.body.number);
    expect((await step(qa, 'deviations', deviation.id, { action: 'close', fields: { closureSummary: 'CAPA opened' }, signature: sign('quinn', 'closure') })).status).toBe(200);

    // Investigation with structured root cause; the plan needs an action.
    expect((await step(lead, 'capas', capa.body.id, { action: 'start_investigation' })).status).toBe(200);
    expect((await patch(lead, 'capas', capa.body.id, { fiveWhys: ['Punch worn', 'Not inspected', 'Interval too long'], ishikawa: { machine: ['Tooling wear'], method: ['Inspection interval'] }, rootCause: 'Inspection interval not risk-based' })).status).toBe(200);
    const noPlan = await step(qa, 'capas', capa.body.id, { action: 'approve_plan', signature: sign('quinn', 'approval') });
    expect(noPlan.status).toBe(422);
    // The abilities say so before anyone tries (the same reason as the 422).
    const planAbility = (await qa.get(`/api/v1/capas/${capa.body.id}`)).body.abilities.transitions.find((t: { action: string }) => t.action === 'approve_plan');
    expect(planAbility).toMatchObject({ allowed: false, deniedBecause: expect.stringContaining('action') });
    const dueDate = new Date(world.clock.now().getTime() + 30 * DAY).toISOString().slice(0, 10);
    const action = await lead.post(`/api/v1/capas/${capa.body.id}/actions`, {
      kind: 'corrective', title: 'Risk-based tooling inspection', description: 'Revise the tooling SOP through change control', ownerId: people.lena.id, dueDate, requiresChange: true, requiresDocumentRevision: true,
    });
    expect(action.status).toBe(201);
    expect((await step(qa, 'capas', capa.body.id, { action: 'approve_plan', signature: sign('quinn', 'approval') })).body.status).toBe('implementation');
    // The action is not done until its change is closed and its document revision is effective.
    const notYet = await step(lead, 'actions', action.body.id, { action: 'complete', fields: { evidence: 'SOP revised' }, signature: sign('lena', 'responsibility') });
    expect(notYet.status).toBe(422);
    expect(notYet.body.detail).toContain('change control');
    expect((await lead.get(`/api/v1/actions/${action.body.id}`)).body.abilities.transitions[0]).toMatchObject({ action: 'complete', allowed: false, deniedBecause: expect.stringContaining('change control') });

    // The SOP that the change will revise, effective today, read by the trainer role.
    const sop = await docs.post('/api/v1/documents', { docType: 'sop', siteCode: 'BER', department: 'PRD', title: 'Tooling inspection', changeSummary: 'First issue' });
    const sopRev1 = sop.body.revisions[0].id;
    const sopDoc = await docs.get(`/api/v1/documents/${sop.body.id}`);
    expect((await docs.request('PUT', `/api/v1/documents/${sop.body.id}/distribution`, { version: sopDoc.body.version, reason: 'Operators', roles: ['operator'], jobFunctionIds: [], departments: [], userIds: [] })).status).toBe(200);
    expect((await patch(docs, 'document-revisions', sopRev1, { body: 'Inspect punches monthly.', reviewerIds: [people.ivy.id] })).status).toBe(200);
    expect((await step(docs, 'document-revisions', sopRev1, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    expect((await step(investigator, 'document-revisions', sopRev1, { action: 'review', signature: sign('ivy', 'review') })).status).toBe(200);
    expect((await step(qa, 'document-revisions', sopRev1, { action: 'approve', fields: { effectiveAt: world.clock.now().toISOString(), trainingImpact: 'retrain_all' }, signature: sign('quinn', 'approval') })).body.status).toBe('effective');

    // Change control raised from the action, impact assessed by area, approvers derived from the areas.
    const change = await lead.post('/api/v1/changes', { title: 'Risk-based tooling inspection interval', siteCode: 'BER', reason: 'CAPA root cause', scope: 'Tooling SOP and inspection records', sourceRecordId: action.body.id });
    expect(change.status).toBe(201);
    expect(change.body.number).toMatch(/^CC-BER-2026-\d{4}$/);
    expect((await lead.post(`/api/v1/records/${change.body.id}/links`, { targetId: sop.body.id, type: 'relates-to' })).status).toBe(201);
    const incomplete = await step(lead, 'changes', change.body.id, { action: 'submit_for_approval', signature: sign('lena', 'authorship') });
    expect(incomplete.status).toBe(422);
    const wrongApprover = await patch(lead, 'changes', change.body.id, { impacts: { documents: { impacted: true, assessment: 'SOP revision' } }, approvers: { documents: people.ivy.id } });
    expect(wrongApprover.status).toBe(422);
    expect(wrongApprover.body.errors[0].path).toBe('approvers.documents');
    expect((await patch(lead, 'changes', change.body.id, {
      impacts: { documents: { impacted: true, assessment: 'SOP revision' }, training: { impacted: true, assessment: 'Operators retrained' }, process: { impacted: true, assessment: 'Inspection interval' } },
      approvers: { documents: people.dora.id, training: people.tom.id, process: people.quinn.id },
      riskSeverity: 3, riskProbability: 2,
    })).status).toBe(200);
    // The impact view before approval: the SOP, who must be trained on it, the open CAPA.
    const impact = await qa.get(`/api/v1/changes/${change.body.id}/impact`);
    expect(impact.body.documents[0]).toMatchObject({ number: sop.body.number, peopleToTrain: 1, requirements: ['Role operator'] });
    expect(impact.body.risk).toMatchObject({ score: 6 });
    expect((await step(lead, 'changes', change.body.id, { action: 'submit_for_approval', signature: sign('lena', 'authorship') })).body.status).toBe('in_approval');
    // Approving without authority, or before every area approved, is refused.
    expect((await step(investigator, 'changes', change.body.id, { action: 'approve', signature: sign('ivy', 'approval') })).status).toBe(403);
    expect((await step(docs, 'changes', change.body.id, { action: 'approve', signature: sign('dora', 'approval') })).status).toBe(200);
    expect((await step(lead, 'changes', change.body.id, { action: 'start_implementation' })).status).toBe(403);
    expect((await step(trainer, 'changes', change.body.id, { action: 'approve', signature: sign('tom', 'approval') })).status).toBe(200);
    expect((await step(qa, 'changes', change.body.id, { action: 'approve', signature: sign('quinn', 'approval') })).status).toBe(200);
    const approvals = (await qa.get(`/api/v1/changes/${change.body.id}`)).body.approvals;
    expect(approvals.every((a: { approved: boolean }) => a.approved)).toBe(true);
    expect((await step(lead, 'changes', change.body.id, { action: 'start_implementation' })).body.status).toBe('implementation');

    // Implementation: the SOP revision, linked to the change; verification waits for it to be effective.
    const rev2 = await docs.post(`/api/v1/documents/${sop.body.id}/revisions`, { changeType: 'major', changeSummary: `Per ${change.body.number}: risk-based interval` });
    expect((await lead.post(`/api/v1/records/${change.body.id}/links`, { targetId: rev2.body.id, type: 'implements' })).status).toBe(201);
    expect((await step(lead, 'changes', change.body.id, { action: 'submit_for_verification' })).status).toBe(422);
    expect((await patch(docs, 'document-revisions', rev2.body.id, { body: 'Inspect punches every 50,000 compressions.' })).status).toBe(200);
    expect((await step(docs, 'document-revisions', rev2.body.id, { action: 'submit_for_review', signature: sign('dora', 'authorship') })).status).toBe(200);
    expect((await step(investigator, 'document-revisions', rev2.body.id, { action: 'review', signature: sign('ivy', 'review') })).status).toBe(200);
    expect((await step(qa, 'document-revisions', rev2.body.id, { action: 'approve', fields: { effectiveAt: new Date(world.clock.now().getTime() + DAY).toISOString(), trainingImpact: 'retrain_all' }, signature: sign('quinn', 'approval') })).status).toBe(200);
    world.clock.advance(DAY);
    await makeDueRevisionsEffective(world.services);
    expect((await step(lead, 'changes', change.body.id, { action: 'submit_for_verification' })).body.status).toBe('verification');
    // The owner may not verify their own change.
    expect((await step(lead, 'changes', change.body.id, { action: 'verify', fields: { verificationSummary: 'ok' }, signature: sign('lena', 'verification') })).status).toBe(403);
    expect((await step(qa, 'changes', change.body.id, { action: 'verify', fields: { verificationSummary: 'Interval in use; no wear found' }, signature: sign('quinn', 'verification') })).body.status).toBe('closed');

    // The operator is trained on the new revision.
    const training = (await operator.get('/api/v1/training/my')).body.open.find((a: { documentNumber: string }) => a.documentNumber === sop.body.number);
    expect(training.versionLabel).toBe('2.0');
    await operator.post(`/api/v1/training/assignments/${training.id}/open`);
    expect((await operator.post(`/api/v1/training/assignments/${training.id}/complete`, { version: training.version + 1, signature: sign('otto', 'read_understood') })).status).toBe(200);

    // The action is done, with the change closed and the revision effective.
    expect((await patch(lead, 'capas', capa.body.id, {})).status).toBe(422); // nothing changed
    expect((await step(lead, 'actions', action.body.id, { action: 'complete', fields: { evidence: `${change.body.number} closed; ${rev2.body.number} effective` }, signature: sign('lena', 'responsibility') })).body.status).toBe('done');

    // Effectiveness: planned, then verified by someone other than the owner; a failed check reopens.
    expect((await step(lead, 'capas', capa.body.id, { action: 'submit_for_effectiveness', fields: { effectivenessCriteria: 'No punch-wear deviation in 3 months', effectivenessMethod: 'Deviation trend review', effectivenessDueDate: '2027-03-01' } })).body.status).toBe('effectiveness_check');
    expect((await step(lead, 'capas', capa.body.id, { action: 'verify_effective', fields: { effectivenessEvidence: 'none' }, signature: sign('lena', 'verification') })).status).toBe(403);
    const failed = await step(qa, 'capas', capa.body.id, { action: 'verify_not_effective', reason: 'One more wear event', fields: { effectivenessEvidence: 'DEV in January' }, signature: sign('quinn', 'verification') });
    expect(failed.body).toMatchObject({ status: 'investigation', data: { effectivenessResult: 'not_effective' } });
    expect((await step(qa, 'capas', capa.body.id, { action: 'close', fields: { closureSummary: 'x' }, signature: sign('quinn', 'closure') })).status).toBe(409);
    expect((await step(qa, 'capas', capa.body.id, { action: 'approve_plan', signature: sign('quinn', 'approval') })).status).toBe(200);
    expect((await step(lead, 'capas', capa.body.id, { action: 'submit_for_effectiveness' })).status).toBe(200);
    expect((await step(qa, 'capas', capa.body.id, { action: 'verify_effective', fields: { effectivenessEvidence: 'Three months without wear events' }, signature: sign('quinn', 'verification') })).body.status).toBe('verified');
    expect((await step(qa, 'capas', capa.body.id, { action: 'close', fields: { closureSummary: 'Effective' }, signature: sign('quinn', 'closure') })).body.status).toBe('closed');

    // The trace of the deviation shows the whole loop down to the people trained.
    const trace = await qa.get(`/api/v1/records/${deviation.id}/trace`);
    const types = trace.body.nodes.map((n: { type: string }) => n.type);
    expect(types).toEqual(expect.arrayContaining(['deviation', 'capa', 'action', 'change', 'document', 'document_revision']));
    const revisionNode = trace.body.nodes.find((n: { id: string }) => n.id === rev2.body.id);
    expect(revisionNode.training).toMatchObject({ required: 1, completed: 1 });
  });

  it('due-date extensions are requested with a justification, approved with a signature by someone else, and counted in on-time metrics', async () => {
    const capa = await lead.post('/api/v1/capas', { title: 'Label mix-up', siteCode: 'BER', sourceType: 'complaint', problemStatement: 'Wrong label strength', dueDate: '2026-12-31' });
    const request = await lead.post(`/api/v1/records/${capa.body.id}/extensions`, { requestedDueDate: '2027-01-31', justification: 'Supplier audit only possible in January' });
    expect(request.status).toBe(201);
    const extensionId = request.body.items[0].id;
    expect((await lead.post(`/api/v1/records/${capa.body.id}/extensions`, { requestedDueDate: '2027-02-28', justification: 'again' })).status).toBe(409);
    expect((await operator.post(`/api/v1/records/${capa.body.id}/extensions/${extensionId}/decision`, { approve: true, signature: sign('otto', 'approval') })).status).toBe(403);
    expect((await qa.post(`/api/v1/records/${capa.body.id}/extensions/${extensionId}/decision`, { approve: true })).status).toBe(401);
    const approved = await qa.post(`/api/v1/records/${capa.body.id}/extensions/${extensionId}/decision`, { approve: true, reason: 'Justified', signature: sign('quinn', 'approval') });
    expect(approved.status).toBe(200);
    expect(approved.body.items[0]).toMatchObject({ decision: 'approved', originalDueDate: '2026-12-31', requestedDueDate: '2027-01-31', decidedByName: 'Quinn QA-Manager' });
    const after = await lead.get(`/api/v1/capas/${capa.body.id}`);
    expect(after.body.dueDate).toBe('2027-01-31');
    const trail = (await qa.get(`/api/v1/records/${capa.body.id}/audit-trail`)).body.items.map((e: { action: string }) => e.action);
    expect(trail).toEqual(expect.arrayContaining(['record.extension_requested', 'record.signed', 'record.extension_decided']));
    const metrics = (await qa.get('/api/v1/metrics/on-time')).body.items.find((m: { type: string }) => m.type === 'capa');
    expect(metrics.extended).toBeGreaterThanOrEqual(1);
    // The requester cannot decide their own request.
    const second = await qa.post(`/api/v1/records/${capa.body.id}/extensions`, { requestedDueDate: '2027-02-28', justification: 'More time' });
    expect((await qa.post(`/api/v1/records/${capa.body.id}/extensions/${second.body.items[1].id}/decision`, { approve: false, reason: 'no' })).status).toBe(403);
  });

  it('overdue actions and approvals remind the people who must act, once a day, and escalate to the manager', async () => {
    expect((await qa.request('PUT', `/api/v1/users/${people.lena.id}/training-profile`, { reason: 'Reports to Quinn', department: 'QA', managerId: people.quinn.id, jobFunctionIds: [] })).status).toBe(200);
    const capa = await lead.post('/api/v1/capas', { title: 'Overdue check', siteCode: 'BER', sourceType: 'trend', problemStatement: 'Trend' });
    const due = new Date(world.clock.now().getTime() + 2 * DAY).toISOString().slice(0, 10);
    const action = await lead.post(`/api/v1/capas/${capa.body.id}/actions`, { kind: 'preventive', title: 'Train the night shift', description: 'x', ownerId: people.lena.id, dueDate: due });
    expect(action.status).toBe(201);
    const change = await lead.post('/api/v1/changes', { title: 'Overdue approval', siteCode: 'BER', reason: 'r', scope: 's', dueDate: due });
    expect((await patch(lead, 'changes', change.body.id, { impacts: { training: { impacted: true, assessment: 'Night shift' } }, approvers: { training: people.tom.id }, riskSeverity: 2, riskProbability: 2 })).status).toBe(200);
    expect((await step(lead, 'changes', change.body.id, { action: 'submit_for_approval', signature: sign('lena', 'authorship') })).status).toBe(200);
    world.clock.advance(3 * DAY);
    const first = await remindOverdueRecords(world.services);
    expect(first.reminded).toBeGreaterThanOrEqual(2);
    const notified = async (username: string, id: string) =>
      (await world.db.query("SELECT 1 FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username_key = $1 AND n.record_id = $2 AND n.source_job LIKE 'overdue:%'", [username, id])).length;
    expect(await notified('lena', action.body.id)).toBe(1);
    expect(await notified('tom', change.body.id)).toBe(1); // the approver who has not approved
    expect((await remindOverdueRecords(world.services)).reminded).toBe(0); // once a day
    world.clock.advance(7 * DAY);
    const later = await remindOverdueRecords(world.services);
    expect(later.escalated).toBeGreaterThanOrEqual(1);
    const escalation = await world.db.query<{ message: string }>("SELECT n.message FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username_key = 'quinn' AND n.record_id = $1", [action.body.id]);
    expect(escalation[0].message).toContain("Lena Lead's");
    expect((await remindOverdueRecords(world.services)).escalated).toBe(0);
  });

  it('[P11-10g-3] independence of the effectiveness check is configurable and recorded in each CAPA when it is opened', async () => {
    const own = await lead.post('/api/v1/capas', { title: 'Independent check', siteCode: 'BER', sourceType: 'trend', problemStatement: 'p' });
    expect(own.body.data.independentEffectiveness).toBe(true);
    world.services.settings.capaIndependentEffectiveness = false;
    try {
      const relaxed = await lead.post('/api/v1/capas', { title: 'Small site: owner may verify', siteCode: 'BER', sourceType: 'trend', problemStatement: 'p' });
      expect(relaxed.body.data.independentEffectiveness).toBe(false);
      const verify = (id: string) => lead.get(`/api/v1/capas/${id}`);
      // In effectiveness_check the owner's ability differs by the recorded rule.
      await world.db.query("UPDATE record SET status = 'effectiveness_check' WHERE id = ANY($1::uuid[])", [[own.body.id, relaxed.body.id]]);
      const ability = async (id: string) => (await verify(id)).body.abilities.transitions.find((t: { action: string }) => t.action === 'verify_effective');
      expect((await ability(own.body.id)).allowed).toBe(false);
      expect((await ability(relaxed.body.id)).allowed).toBe(true);
    } finally {
      world.services.settings.capaIndependentEffectiveness = true;
    }
  });

  it('stale versions get 409 and bad input names the field, with nothing written', async () => {
    const before = await world.count('record');
    const bad = await lead.post('/api/v1/capas', { title: '', siteCode: 'BER', sourceType: 'rumour', problemStatement: 'x', riskSeverity: 9 });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['title', 'sourceType', 'riskSeverity']));
    expect((await operator.post('/api/v1/capas', { title: 'x', siteCode: 'BER', sourceType: 'other', problemStatement: 'x' })).status).toBe(403);
    expect(await world.count('record')).toBe(before);
    const capa = await lead.post('/api/v1/capas', { title: 'Stale', siteCode: 'BER', sourceType: 'trend', problemStatement: 'Trend of OOS' });
    const version = capa.body.version;
    expect((await lead.patch(`/api/v1/capas/${capa.body.id}`, { version, reason: 'a', rootCause: 'A' })).status).toBe(200);
    expect((await qa.patch(`/api/v1/capas/${capa.body.id}`, { version, reason: 'b', rootCause: 'B' })).status).toBe(409);
    expect((await lead.get(`/api/v1/capas/${capa.body.id}`)).body.data.rootCause).toBe('A');
  });
});
