import {
  authenticateSession, authenticateSigner, createDeviation, createSite, createUser, loadActor, login, recordIdentityVerification, type Services, systemActor, transitionDeviation, withTransaction,
} from '@verity/core';

const people = [
  { username: 'qa.lead', fullName: 'Quentin A. Lead', roles: [{ role: 'qa_manager', siteCode: 'BER' }, { role: 'qa_manager', siteCode: 'BOS' }] },
  { username: 'quinn.qa', fullName: 'Quinn Q. Reviewer', roles: [{ role: 'qa_reviewer', siteCode: 'BER' }] },
  { username: 'ivy.investigator', fullName: 'Ivy Investigator', roles: [{ role: 'investigator', siteCode: 'BER' }, { role: 'investigator', siteCode: 'BOS' }] },
  { username: 'oscar.operator', fullName: 'Oscar Operator', roles: [{ role: 'operator', siteCode: 'BER' }] },
  { username: 'olivia.operator', fullName: 'Olivia Operator', roles: [{ role: 'operator', siteCode: 'BOS' }] },
  { username: 'ingrid.inspector', fullName: 'Ingrid Inspector', roles: [{ role: 'inspector', siteCode: 'BER' }, { role: 'inspector', siteCode: 'BOS' }] },
  { username: 'ada.admin', fullName: 'Ada Administrator', roles: [{ role: 'sysadmin', siteCode: 'BER' }] },
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
    if (reached >= 3) await step('qa.lead', record.id, 'qa_approve', {}, 'approval');
    if (reached >= 4) await step('qa.lead', record.id, 'close', { closureSummary: 'Corrective actions completed and verified; deviation closed.' }, 'closure');
  }
}
