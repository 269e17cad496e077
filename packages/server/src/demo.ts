import {
  type Authenticated, addAction, authenticateSession, authenticateSigner, completeAssignment, createCapa, createChange, linkRecords, transitionAction, transitionCapa, transitionChange, updateCapa, updateChange, createDeviation, createDocument, createJobFunction, createSite, createUser, loadActor, login, makeDueRevisionsEffective,
  openAssignment, recordIdentityVerification, type Services, setDistribution, setTrainingProfile, startRevision, systemActor, transitionDeviation, transitionRevision, updateRevision, withTransaction,
} from '@verity/core';

const people = [
  { username: 'qa.lead', fullName: 'Quentin A. Lead', roles: [{ role: 'qa_manager', siteCode: 'BER' }, { role: 'qa_manager', siteCode: 'BOS' }] },
  { username: 'quinn.qa', fullName: 'Quinn Q. Reviewer', roles: [{ role: 'qa_reviewer', siteCode: 'BER' }] },
  { username: 'ivy.investigator', fullName: 'Ivy Investigator', roles: [{ role: 'investigator', siteCode: 'BER' }, { role: 'investigator', siteCode: 'BOS' }] },
  { username: 'oscar.operator', fullName: 'Oscar Operator', roles: [{ role: 'operator', siteCode: 'BER' }] },
  { username: 'olivia.operator', fullName: 'Olivia Operator', roles: [{ role: 'operator', siteCode: 'BOS' }] },
  { username: 'ingrid.inspector', fullName: 'Ingrid Inspector', roles: [{ role: 'inspector', siteCode: 'BER' }, { role: 'inspector', siteCode: 'BOS' }] },
  { username: 'ada.admin', fullName: 'Ada Administrator', roles: [{ role: 'sysadmin', siteCode: 'BER' }] },
  { username: 'dora.doccontrol', fullName: 'Dora Document-Control', roles: [{ role: 'document_controller', siteCode: 'BER' }, { role: 'document_controller', siteCode: 'BOS' }] },
  { username: 'tara.trainer', fullName: 'Tara Trainer', roles: [{ role: 'trainer', siteCode: 'BER' }, { role: 'trainer', siteCode: 'BOS' }] },
];

const cases = [
  { site: 'BER', title: 'Tablet press 3 compression force out of range', area: 'Compression suite B', batch: 'LOT 24-117', description: 'During in-process control at 10:40 the main compression force on press 3 read 18.4 kN against a limit of 12-16 kN for 6 minutes before the operator stopped the press.', stage: 'closed' },
  { site: 'BER', title: 'Cleanroom grade B differential pressure alarm', area: 'Filling line 1, grade B', batch: 'LOT 24-121', description: 'Differential pressure between grade B and grade C fell below 10 Pa for 14 minutes during aseptic filling; the alarm was acknowledged late.', stage: 'approved' },
  { site: 'BER', title: 'Expired buffer solution used in QC assay', area: 'QC laboratory', batch: null, description: 'Phosphate buffer lot BUF-0931, expired two days earlier, was used to prepare the mobile phase for the assay of three release samples.', stage: 'pending' },
  { site: 'BOS', title: 'Label roll with wrong strength delivered to packaging', area: 'Packaging hall', batch: 'LOT 24-233', description: 'A roll of 20 mg labels was found at the 10 mg packaging line during line clearance; no labels had been applied.', stage: 'pending' },
  { site: 'BER', title: 'Autoclave cycle record missing signature', area: 'Washing and sterilisation', batch: null, description: 'The printed cycle record of autoclave AC-02 for 12 March lacks the operator signature required by SOP-PRD-014.', stage: 'investigation' },
  { site: 'BOS', title: 'Temperature excursion in cold room CR-4', area: 'Warehouse cold room CR-4', batch: 'LOT 24-240', description: 'The monitoring system recorded 9.1 °C for 47 minutes (limit 2-8 °C) overnight; 12 pallets of finished product were stored in the room.', stage: 'investigation' },
  { site: 'BER', title: 'Balance calibration overdue in weighing room', area: 'Dispensary', batch: null, description: 'Balance BAL-07 was used for dispensing although its calibration expired one week ago.', stage: 'investigation' },
  { site: 'BER', title: 'Foreign particle found in vial during inspection', area: 'Visual inspection', batch: 'LOT 24-125', description: 'A dark particle of about 0.5 mm was found in one vial during 100% visual inspection.', stage: 'reported' },
  { site: 'BOS', title: 'Gowning procedure not followed by contractor', area: 'Grade C corridor', batch: null, description: 'A maintenance contractor entered the grade C corridor without overshoes.', stage: 'reported' },
  { site: 'BER', title: 'Batch record page photocopied instead of issued', area: 'Granulation', batch: 'LOT 24-130', description: 'Page 14 of the batch record was a photocopy, not a controlled issued page.', stage: 'reported' },
  { site: 'BOS', title: 'Duplicate deviation of cold room alarm', area: 'Warehouse', batch: null, description: 'Reported twice by two shifts; this report duplicates the cold room CR-4 excursion.', stage: 'cancelled' },
  { site: 'BER', title: 'Water for injection TOC above alert level', area: 'Utilities, WFI loop', batch: null, description: 'Total organic carbon at point of use POU-5 read 420 ppb against an alert level of 400 ppb.', stage: 'closed' },
];

const order = ['reported', 'investigation', 'pending', 'approved', 'closed'];

/** Loads a realistic demo organisation: two sites, people in roles, deviations in every state. */
export async function loadDemo(services: Services, password: string): Promise<void> {
  const [{ n }] = await services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM app_user WHERE username_key = 'qa.lead'");
  if (n > 0) throw new Error('The demo organisation is already loaded in this database');
  // The demo tells a history: each deviation is reported some days ago and moves one step a day,
  // so that dates, due dates and overdue flags look like a living system. Every step is a real
  // signed-in action (and signature) at that moment.
  let now = Date.now() - (cases.length * 3 + 10) * 86400_000;
  const at: Services = { ...services, clock: { now: () => new Date(now) } };
  await withTransaction(at, systemActor, { authMethod: 'cli' }, async (ctx) => {
    for (const [code, name] of [['BER', 'Berlin manufacturing'], ['BOS', 'Boston biologics']]) {
      const [exists] = await ctx.tx.query('SELECT 1 FROM site WHERE code = $1', [code]);
      if (!exists) await createSite(ctx, code, name, { bypassPermission: true });
    }
    for (const person of people) {
      const { user } = await createUser(ctx, { ...person, password }, { bypassPermission: true });
      await ctx.tx.query('UPDATE app_user SET must_change_password = false WHERE id = $1', [user.id]);
    }
  });
  // Ada, the administrator, verified everyone's identity at onboarding (11.100(b)).
  const ada = await loadActor(services.db, (await services.db.query<{ id: string }>("SELECT id FROM app_user WHERE username_key = 'ada.admin'"))[0].id);
  await withTransaction(at, ada, { authMethod: 'cli' }, async (ctx) => {
    for (const person of people.filter((p) => p.username !== 'ada.admin')) {
      const [{ id }] = await ctx.tx.query<{ id: string }>('SELECT id FROM app_user WHERE username_key = $1', [person.username]);
      await recordIdentityVerification(ctx, id, { method: 'in-person-photo-id', evidenceRef: `HR onboarding file ${person.username}` });
    }
  });
  const as = async (username: string) => {
    const { token } = await login(at, { authMethod: 'cli' }, { username, password });
    const auth = await authenticateSession(at, token);
    if (!auth) throw new Error(`demo sign-in of ${username} failed`);
    return auth;
  };
  const step = async (username: string, id: string, action: string, fields: Record<string, unknown> = {}, meaning?: string, reason?: string) => {
    now += 86400_000 + Math.floor(Math.random() * 3600_000);
    const auth = await as(username);
    // The first signature of each person accepts the accountability statement, as in the signature dialog.
    if (meaning) await authenticateSigner(at, { authMethod: 'cli' }, auth, { username, password, acceptStatement: true });
    const [{ version }] = await services.db.query<{ version: number }>('SELECT version FROM record WHERE id = $1', [id]);
    await withTransaction(at, auth.actor, { authMethod: 'cli' }, (ctx) => transitionDeviation(ctx, id, { action, version, fields, signatureMeaning: meaning, reason }));
  };

  for (const [index, c] of cases.entries()) {
    const reporter = c.site === 'BER' ? 'oscar.operator' : 'olivia.operator';
    now = Date.now() - ((cases.length - index) * 3 + 5) * 86400_000;
    const reporterAuth = await as(reporter);
    const occurred = new Date(now - 2 * 3600_000);
    const record = await withTransaction(at, reporterAuth.actor, { authMethod: 'cli' }, (ctx) =>
      createDeviation(ctx, { title: c.title, siteCode: c.site, description: c.description, occurredAt: occurred.toISOString(), area: c.area, productBatch: c.batch ?? undefined, immediateAction: 'Process stopped and affected material put on hold; QA informed.' }),
    );
    if (c.stage === 'cancelled') {
      await step('qa.lead', record.id, 'cancel', {}, undefined, 'Duplicate of an existing deviation report');
      continue;
    }
    const reached = order.indexOf(c.stage);
    if (reached >= 1) await step('qa.lead', record.id, 'triage', { classification: index % 3 === 0 ? 'major' : index % 3 === 1 ? 'minor' : 'critical', triageRationale: 'Potential impact on product quality assessed with the triage questions of SOP-QA-007.' });
    if (reached >= 2) {
      await step('ivy.investigator', record.id, 'submit_investigation', {
        rootCauseCategory: 'method',
        rootCause: 'The procedure did not require a second-person check at this step.',
        fiveWhys: ['The limit was exceeded unnoticed.', 'The alarm was not escalated.', 'The operator was not trained on the new alarm.', 'Training was not assigned with the SOP revision.', 'The change control did not assess training impact.'],
        investigationSummary: 'Interviews, alarm log review and batch record review completed; no further batches affected.',
        productImpact: 'No impact on released product; the affected batch stays on hold pending QA decision.',
      }, 'authorship');
    }
    if (reached >= 3) {
      const decision = c.stage === 'approved'
        ? { capaDecision: 'required', batchImpact: `${c.batch ?? 'No batch'} on hold pending the CAPA` }
        : { capaDecision: 'not_required', capaDecisionJustification: 'Isolated event: the root cause was removed by the correction; trend review shows no recurrence.' };
      await step('qa.lead', record.id, 'qa_approve', decision, 'approval');
    }
    if (reached >= 4) await step('qa.lead', record.id, 'close', { closureSummary: 'Corrective actions completed and verified; deviation closed.' }, 'closure');
  }
  await loadDocuments(at, as, password, (t) => {
    now = t;
  });
  await loadClosedLoop(at, as, password, (t) => {
    now = t;
  });
}

/**
 * The demo's way of acting: a clock that starts `daysAgo` and moves forward by `tick(hours)`, and
 * `act(username, fn)` that signs the person in (re-authenticating when they sign) and runs fn in a
 * transaction as them at that moment.
 */
function demoActors(at: Services, as: (username: string) => Promise<Authenticated>, password: string, setNow: (t: number) => void, daysAgo: number) {
  let t = Date.now() - daysAgo * 86400_000;
  const tick = (hours: number) => {
    t += hours * 3600_000;
    setNow(t);
  };
  tick(0);
  const act = async <T>(username: string, fn: (ctx: Parameters<Parameters<typeof withTransaction>[3]>[0]) => Promise<T>, signs = false) => {
    const auth = await as(username);
    if (signs) await authenticateSigner(at, { authMethod: 'cli' }, auth, { username, password, acceptStatement: true });
    return withTransaction(at, auth.actor, { authMethod: 'cli' }, fn);
  };
  const version = async (id: string) => (await at.db.query<{ version: number }>('SELECT version FROM record WHERE id = $1', [id]))[0].version;
  return { tick, act, version, clock: () => t };
}

/** A CAPA from the pressure-alarm deviation, with actions (one done, one overdue), and a change control in approval. */
async function loadClosedLoop(at: Services, as: (username: string) => Promise<Authenticated>, password: string, setNow: (t: number) => void): Promise<void> {
  const { tick, act, version, clock } = demoActors(at, as, password, setNow, 12);
  const day = (offset: number) => new Date(clock() + offset * 86400_000).toISOString().slice(0, 10);
  const [deviation] = await at.db.query<{ id: string }>("SELECT id FROM record WHERE type = 'deviation' AND title LIKE 'Cleanroom grade B%'");
  const ivy = await idOf(at, 'ivy.investigator');
  const quinn = await idOf(at, 'quinn.qa');
  const capa = await act('quinn.qa', (ctx) =>
    createCapa(ctx, { title: 'Late response to cleanroom pressure alarms', siteCode: 'BER', sourceType: 'deviation', sourceRecordId: deviation.id, problemStatement: 'Pressure alarms in grade B are acknowledged late during aseptic filling.', riskSeverity: 4, riskOccurrence: 3 }),
  );
  tick(24);
  let v = await version(capa.id);
  await act('quinn.qa', (ctx) => transitionCapa(ctx, capa.id, { action: 'start_investigation', version: v }));
  tick(24);
  v = await version(capa.id);
  await act('quinn.qa', (ctx) =>
    updateCapa(ctx, capa.id, {
      version: v,
      reason: 'Investigation',
      fiveWhys: ['Alarm acknowledged after 14 minutes', 'Operator was inside the RABS intervention', 'Only one operator on the line at night', 'Staffing plan ignores interventions', 'No rule for alarm coverage'],
      ishikawa: { man: ['Single operator at night'], method: ['No alarm-coverage rule in SOP-PRD-001'], machine: ['Alarm only local, no pager'] },
      rootCause: 'The filling SOP has no rule for covering alarms while the operator is busy with an intervention.',
    }),
  );
  const done = await act('quinn.qa', (ctx) => addAction(ctx, capa.id, { kind: 'corrective', title: 'Route grade B pressure alarms to the shift pager', description: 'Alarm relay to pagers of QA and shift lead.', ownerId: ivy, dueDate: day(5), requiresChange: false, requiresDocumentRevision: false }));
  await act('quinn.qa', (ctx) => addAction(ctx, capa.id, { kind: 'preventive', title: 'Add alarm coverage to SOP-PRD-001', description: 'Revise the filling SOP through change control.', ownerId: quinn, dueDate: day(8), requiresChange: true, requiresDocumentRevision: true }));
  tick(24);
  v = await version(capa.id);
  await act('qa.lead', (ctx) => transitionCapa(ctx, capa.id, { action: 'approve_plan', version: v, signatureMeaning: 'approval' }), true);
  tick(72);
  v = await version(done.id);
  await act('ivy.investigator', (ctx) => transitionAction(ctx, done.id, { action: 'complete', version: v, fields: { evidence: 'Relay installed and tested on 3 shifts; test record TR-221.' }, signatureMeaning: 'responsibility' }), true);
  tick(24);
  const change = await act('quinn.qa', (ctx) => createChange(ctx, { title: 'Alarm coverage during RABS interventions', siteCode: 'BER', reason: 'CAPA root cause: no alarm coverage rule', scope: 'SOP-PRD-001, shift staffing plan', changeType: 'permanent' }));
  await act('quinn.qa', (ctx) => linkRecords(ctx, capa, change.id, 'relates-to'));
  v = await version(change.id);
  const dora = await idOf(at, 'dora.doccontrol');
  const tara = await idOf(at, 'tara.trainer');
  const lead = await idOf(at, 'qa.lead');
  await act('quinn.qa', (ctx) =>
    updateChange(ctx, change.id, {
      version: v,
      reason: 'Impact assessment',
      impacts: { documents: { impacted: true, assessment: 'SOP-PRD-001 gains an alarm-coverage step.' }, training: { impacted: true, assessment: 'Filling operators retrained on the new step.' }, process: { impacted: true, assessment: 'A second person covers alarms during interventions.' } },
      approvers: { documents: dora, training: tara, process: lead },
      riskSeverity: 3,
      riskProbability: 2,
    }),
  );
  tick(2);
  v = await version(change.id);
  await act('quinn.qa', (ctx) => transitionChange(ctx, change.id, { action: 'submit_for_approval', version: v, signatureMeaning: 'authorship' }), true);
  tick(20);
  v = await version(change.id);
  await act('dora.doccontrol', (ctx) => transitionChange(ctx, change.id, { action: 'approve', version: v, signatureMeaning: 'approval' }), true);
  tick(1);
}

const idOf = async (services: Services, username: string) => (await services.db.query<{ id: string }>('SELECT id FROM app_user WHERE username_key = $1', [username]))[0].id;

const fillingSop = `# Purpose
Describe how vials are filled aseptically on filling line 1 (grade A under RABS).

# Scope
All aseptic filling of liquid products on filling line 1.

# Procedure
1. Check the line clearance record and the environmental monitoring status.
2. Gown for grade B following SOP-QA-002.
3. Assemble the sterile filling parts using aseptic technique.
4. Perform the fill-weight check every 15 minutes and record it.
5. Stop the line and inform QA at any alarm of the RABS or the particle counter.

# Records
Batch record section 6; fill-weight log.`;

/** Controlled documents with revisions in every state, and training that followed them. */
async function loadDocuments(at: Services, as: (username: string) => Promise<Authenticated>, password: string, setNow: (t: number) => void): Promise<void> {
  const { tick, act, version, clock } = demoActors(at, as, password, setNow, 40);
  const step = async (username: string, id: string, action: string, meaning?: string, fields?: Record<string, unknown>) => {
    tick(20);
    const current = await version(id);
    await act(username, (ctx) => transitionRevision(ctx, id, { action, version: current, signatureMeaning: meaning, fields }), Boolean(meaning));
  };
  const write = async (id: string, fields: Record<string, unknown>) => {
    const current = await version(id);
    return act('dora.doccontrol', (ctx) => updateRevision(ctx, id, { version: current, reason: 'Drafting', ...fields }));
  };
  const quinn = await idOf(at, 'quinn.qa');
  const ivy = await idOf(at, 'ivy.investigator');
  /** Writes, reviews and approves a revision; effective `effectiveInHours` after approval. */
  const release = async (id: string, fields: Record<string, unknown>, effectiveInHours: number, impact: Record<string, unknown> = { trainingImpact: 'retrain_all' }) => {
    await write(id, { reviewerIds: [quinn, ivy], ...fields });
    await step('dora.doccontrol', id, 'submit_for_review', 'authorship');
    await step('quinn.qa', id, 'review', 'review');
    await step('ivy.investigator', id, 'review', 'review');
    await step('qa.lead', id, 'approve', 'approval', { effectiveAt: new Date(clock() + effectiveInHours * 3600_000).toISOString(), ...impact });
  };
  const document = async (input: { docType: 'sop' | 'policy' | 'form'; siteCode: string; department: string; title: string }) =>
    act('dora.doccontrol', (ctx) => createDocument(ctx, { ...input, confidentiality: 'internal', changeSummary: 'First issue' }));
  const distribute = async (documentId: string, distribution: { jobFunctionIds?: string[]; departments?: string[] }) => {
    const current = await version(documentId);
    return act('dora.doccontrol', (ctx) => setDistribution(ctx, documentId, { roles: [], jobFunctionIds: [], departments: [], userIds: [], ...distribution, version: current, reason: 'Who must read it' }));
  };
  const train = async (username: string, documentNumber: string) => {
    tick(3);
    const userId = await idOf(at, username);
    const [a] = await at.db.query<{ id: string }>("SELECT a.id FROM training_assignment a JOIN record d ON d.id = a.document_id WHERE a.user_id = $1 AND d.number = $2 AND a.status = 'open'", [userId, documentNumber]);
    await act(username, (ctx) => openAssignment(ctx, a.id));
    tick(0.2);
    await act(username, async (ctx) => completeAssignment(ctx, a.id, { version: (await ctx.tx.query<{ version: number }>('SELECT version FROM training_assignment WHERE id = $1', [a.id]))[0].version, timeSpentSeconds: 600 }), true);
  };

  const functions: Record<string, string> = {};
  for (const [code, name] of [['FILL-OP', 'Filling operator'], ['QC-ANALYST', 'QC analyst'], ['QA-SPEC', 'QA specialist']]) {
    functions[code] = (await act('dora.doccontrol', (ctx) => createJobFunction(ctx, { code, name }))).id;
  }
  const lead = await idOf(at, 'qa.lead');
  for (const [username, department, fn] of [['oscar.operator', 'PRD', 'FILL-OP'], ['olivia.operator', 'PRD', 'FILL-OP'], ['ivy.investigator', 'QA', 'QA-SPEC'], ['quinn.qa', 'QA', 'QA-SPEC']]) {
    const userId = await idOf(at, username);
    await act('dora.doccontrol', (ctx) => setTrainingProfile(ctx, userId, { reason: 'Onboarding', department, managerId: lead, jobFunctionIds: [functions[fn]] }));
  }

  // SOP-PRD-001: v1.0 effective five weeks ago, v2.0 effective three days ago; Olivia retrained, Oscar not yet (overdue).
  const filling = await document({ docType: 'sop', siteCode: 'BER', department: 'PRD', title: 'Aseptic filling of vials' });
  await distribute(filling.document.id, { jobFunctionIds: [functions['FILL-OP']] });
  await release(filling.revision.id, { body: fillingSop }, 24);
  tick(30);
  await makeDueRevisionsEffective(at);
  await train('oscar.operator', filling.document.number);
  await train('olivia.operator', filling.document.number);
  const fillingV2 = await act('dora.doccontrol', (ctx) => startRevision(ctx, filling.document.id, { changeType: 'major', changeSummary: 'Fill-weight check every 10 minutes (CAPA from a deviation)' }));
  tick(24 * 20);
  await release(fillingV2.id, { body: fillingSop.replace('every 15 minutes', 'every 10 minutes').replace('# Records', '6. Record every intervention in the RABS log.\n\n# Records') }, 24 * 4, { trainingImpact: 'changed_sections', changedSections: ['Procedure, step 4', 'Procedure, step 6'] });
  tick(24 * 4 + 1);
  await makeDueRevisionsEffective(at);
  await train('olivia.operator', filling.document.number);

  // POL-QA-001: the quality policy, for everyone in QA and production.
  const policy = await document({ docType: 'policy', siteCode: 'BER', department: 'QA', title: 'Quality policy' });
  await distribute(policy.document.id, { departments: ['QA', 'PRD'] });
  await release(policy.revision.id, { body: '# Our commitment\nWe make medicines that are safe, effective and of consistent quality, and we record what we do, as we do it.' }, 2);
  tick(3);
  await makeDueRevisionsEffective(at);
  for (const who of ['ivy.investigator', 'quinn.qa', 'oscar.operator']) await train(who, policy.document.number);

  // SOP-QC-001 is in review (Quinn's task); FRM-QA-001 is a draft.
  const oos = await document({ docType: 'sop', siteCode: 'BER', department: 'QC', title: 'Out-of-specification results in the QC laboratory' });
  await distribute(oos.document.id, { jobFunctionIds: [functions['QC-ANALYST'], functions['QA-SPEC']] });
  await write(oos.revision.id, { body: '# Phase I\nCheck the analysis for obvious laboratory error before any retest.\n\n# Phase II\nFull-scale investigation with QA.', reviewerIds: [quinn, ivy] });
  await step('dora.doccontrol', oos.revision.id, 'submit_for_review', 'authorship');
  await step('ivy.investigator', oos.revision.id, 'review', 'review');
  const form = await document({ docType: 'form', siteCode: 'BER', department: 'QA', title: 'Line clearance checklist' });
  await write(form.revision.id, { body: '| Check | Done |\n| --- | --- |\n| Previous batch material removed | ☐ |\n| Labels reconciled | ☐ |' });
  tick(1);
}
