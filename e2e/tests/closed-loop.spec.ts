import { type APIRequestContext, type APIResponse, type Locator, type Page, request as playwrightRequest } from '@playwright/test';
import { choose, dialog, expect, password, shot, signIn, startAction, test } from './fixtures';

/**
 * The closed loop in a real browser: QA approves a deviation deciding "CAPA required", opens the
 * CAPA from the deviation, records the root cause, plans an action owned by an operator and
 * approves the plan with a signature; the operator completes the action with evidence and a
 * signature; someone other than the CAPA owner verifies the effectiveness; QA closes the CAPA, and
 * the deviation can then be closed. (Change control inside the loop is covered by the API test.)
 */
test.describe.configure({ mode: 'serial' });

const suffix = Date.now().toString(36);
const deviationTitle = `Expired buffer used for release assay ${suffix}`;
let deviationUrl = '';
let capaUrl = '';
let actionNumber = '';

/** A separate API session (its own cookie jar) signed in as `user`. */
async function apiAs(user: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: process.env.VERITY_BASE_URL });
  const response = await context.post('/api/v1/auth/login', { data: { username: user, password: password() } });
  expect(response.status(), `sign-in of ${user}`).toBe(200);
  return context;
}

async function ok<T>(response: Promise<APIResponse>, what: string): Promise<T> {
  const answer = await response;
  expect(answer.ok(), `${what}: ${answer.status()} ${await answer.text()}`).toBe(true);
  return (await answer.json()) as T;
}

/** Fill the signature part of the open dialog: user name on the first signing of the session, the statement once. */
async function sign(scope: Locator, username: string): Promise<void> {
  const user = scope.getByLabel('User name');
  if (await user.isVisible()) await user.fill(username);
  const statement = scope.getByLabel('I have read and accept this statement');
  if (await statement.isVisible()) await statement.check();
  await scope.getByLabel(/^Password/).fill(password());
}

async function statusIs(page: Page, label: string | RegExp): Promise<void> {
  await expect(page.getByTestId('record-status')).toHaveText(label);
}

/** An ISO calendar date `days` from today. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
}

test.beforeAll(async () => {
  // The deviation is reported, triaged and investigated through the API, up to QA approval.
  type Detail = { id: string; version: number };
  const operator = await apiAs('oscar.operator');
  let record = await ok<Detail>(
    operator.post('/api/v1/deviations', {
      data: {
        title: deviationTitle,
        siteCode: 'BER',
        description: 'Phosphate buffer lot BUF-0931, expired two days earlier, was used for the assay of three release samples.',
        occurredAt: new Date().toISOString(),
      },
    }),
    'report the deviation',
  );
  await operator.dispose();
  const qa = await apiAs('qa.lead');
  record = await ok<Detail>(
    qa.post(`/api/v1/deviations/${record.id}/transitions`, {
      data: { action: 'triage', version: record.version, fields: { classification: 'major', triageRationale: 'Release results may be invalid.' } },
    }),
    'triage',
  );
  await qa.dispose();
  const investigator = await apiAs('ivy.investigator');
  const me = await ok<{ signatureStatementAccepted: boolean }>(investigator.get('/api/v1/auth/me'), 'who am I');
  record = await ok<Detail>(
    investigator.post(`/api/v1/deviations/${record.id}/transitions`, {
      data: {
        action: 'submit_investigation',
        version: record.version,
        fields: {
          rootCauseCategory: 'method',
          rootCause: 'The buffer preparation procedure has no expiry check before use.',
          fiveWhys: ['Why was an expired buffer used? Nobody checked the expiry date.', 'Why not? The procedure does not ask for it.'],
          investigationSummary: 'Logbook and label review; three assays affected.',
          productImpact: 'Three release results invalidated; batches held until re-tested.',
        },
        signature: { username: 'ivy.investigator', password: password(), meaning: 'authorship', ...(me.signatureStatementAccepted ? {} : { acceptStatement: true }) },
      },
    }),
    'submit the investigation',
  );
  await investigator.dispose();
  deviationUrl = `/deviations/${record.id}`;
});

test('[P11-50a-1] QA approves the deviation deciding that a CAPA is required, and opens the CAPA from it', async ({ page }) => {
  await signIn(page, 'qa.lead');
  await page.goto(deviationUrl);
  await statusIs(page, 'Pending QA approval');
  const modal = await startAction(page, /approve/i);
  await choose(modal, page, 'CAPA decision', 'CAPA required');
  await modal.getByLabel('Batch impact').fill('Batches 24-0198 to 24-0200 held until the assays are repeated with in-date buffer.');
  await sign(modal, 'qa.lead');
  await modal.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, /^Approved/);
  await expect(page.locator('[data-field="capaDecision"]')).toHaveText('CAPA required');

  // The CAPA panel says a CAPA is required and none is open yet.
  const panel = page.getByTestId('deviation-capa');
  await expect(panel.getByTestId('capa-decision')).toHaveText('CAPA required');
  await expect(panel).toContainText('before the deviation can be closed');
  await shot(page, 'loop-01-deviation-capa-required');
  await panel.getByRole('link', { name: 'Open CAPA from this deviation' }).click();

  await expect(page).toHaveURL(/\/capas\/new\?sourceRecordId=/);
  await expect(page.getByTestId('capa-source-deviation')).toContainText(deviationTitle);
  await expect(page.getByLabel('Problem statement')).toHaveValue(/expired two days earlier/);
  await page.getByLabel('Title').fill(`Expiry of QC reagents not checked before use ${suffix}`);
  await page.getByRole('button', { name: /^Severity 4 .*occurrence 3 / }).click();
  await expect(page.getByText('High priority · risk 12')).toBeVisible();
  await shot(page, 'loop-02-new-capa');
  await page.getByRole('button', { name: 'Open CAPA' }).click();

  await expect(page).toHaveURL(/\/capas\/[0-9a-f-]{36}$/);
  capaUrl = new URL(page.url()).pathname;
  await statusIs(page, 'Open');
  await expect(page.getByTestId('capa-source')).toContainText('DEV-');

  // Linked both ways: the deviation lists the CAPA.
  await page.getByTestId('capa-source').click();
  await expect(page.getByTestId('linked-capa')).toContainText('Expiry of QC reagents');
  await expect(page.getByTestId('deviation-capa')).not.toContainText('before the deviation can be closed');
});

test('QA investigates, records the root cause, plans an action for an operator and approves the plan with a signature', async ({ page }) => {
  expect(capaUrl, 'needs the CAPA opened in the first test').toBeTruthy();
  await signIn(page, 'qa.lead');
  await page.goto(capaUrl);
  const start = await startAction(page, 'Start investigation');
  await start.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Investigation');

  // Approving needs an action first: said on the button.
  await expect(page.getByRole('region', { name: 'Workflow actions' })).toContainText('Plan at least one corrective or preventive action first');

  const investigation = page.getByTestId('capa-investigation');
  await investigation.getByRole('button', { name: 'Record the investigation' }).click();
  await investigation.getByLabel('5 whys 1').fill('Why was an expired buffer used? Nobody checked the expiry date.');
  await investigation.getByRole('button', { name: '+ Add line' }).click();
  await investigation.getByLabel('5 whys 2').fill('Why not? Neither the SOP nor the LIMS asks for it.');
  await investigation.getByLabel('Method causes').fill('No expiry check in the buffer SOP');
  await investigation.getByLabel('Material causes').fill('Buffer labels without a clear expiry date');
  await investigation.getByLabel('Root cause', { exact: true }).fill('Reagent expiry is not checked before use: the SOP and the LIMS do not ask for it.');
  await investigation.getByLabel('Reason for change').fill('Investigation recorded');
  await investigation.getByRole('button', { name: 'Save changes' }).click();
  await expect(investigation.locator('[data-field="rootCause"]')).toContainText('Reagent expiry is not checked');
  await expect(investigation.getByTestId('ishikawa')).toContainText('No expiry check in the buffer SOP');

  await page.getByTestId('capa-actions').getByRole('button', { name: 'Add action' }).click();
  const add = dialog(page);
  await add.getByLabel('Title').fill('Add an expiry check to the buffer preparation record');
  await add.getByLabel('Description').fill('Field "expiry date checked" with initials on the buffer preparation form; LIMS blocks expired lots.');
  await choose(add, page, 'Owner', /Oscar Operator/);
  await add.getByLabel('Due date').fill(inDays(14));
  await add.getByRole('button', { name: 'Add action' }).click();
  await expect(dialog(page)).toBeHidden();
  const row = page.getByTestId('action-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Oscar Operator');
  actionNumber = ((await row.getByRole('link').textContent()) ?? '').trim();
  expect(actionNumber).toMatch(/^ACT-/);

  const approve = await startAction(page, /Approve root cause and action plan/);
  await expect(approve.getByLabel('Root cause')).toHaveValue(/Reagent expiry/);
  await sign(approve, 'qa.lead');
  await shot(page, 'loop-03-approve-plan');
  await approve.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Implementing actions');
  await expect(page.getByTestId('signature-manifestation').filter({ hasText: 'Approved' })).toBeVisible();
  // The effectiveness check waits for the action.
  await expect(page.getByRole('region', { name: 'Workflow actions' })).toContainText(`1 action is still open: ${actionNumber}`);
});

test('[P11-50a-1] the action owner finds the action in My tasks and completes it with evidence and a signature', async ({ page }) => {
  expect(actionNumber, 'needs the action planned').toBeTruthy();
  await signIn(page, 'oscar.operator');
  await page.getByRole('table', { name: 'My tasks' }).getByRole('link', { name: actionNumber }).click();
  await expect(page).toHaveURL(/\/actions\/[0-9a-f-]{36}$/);
  await statusIs(page, 'Open');
  await expect(page.getByTestId('action-parent')).toContainText('CAPA-');

  const complete = await startAction(page, /Complete with evidence/);
  await complete.getByLabel(/Evidence of completion/).fill('Form QC-F-031 rev 2 has the expiry check field; LIMS lot check switched on (change ticket IT-4471).');
  await sign(complete, 'oscar.operator');
  await complete.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Done');
  await expect(page.getByTestId('signature-manifestation').filter({ hasText: 'Responsibility' })).toBeVisible();
  await shot(page, 'loop-04-action-done');
});

test('QA plans the effectiveness check; the CAPA owner may not verify it', async ({ page }) => {
  expect(capaUrl, 'needs the CAPA').toBeTruthy();
  await signIn(page, 'qa.lead');
  await page.goto(capaUrl);
  await expect(page.getByTestId('actions-done')).toHaveText('1 of 1 done');
  const plan = await startAction(page, /plan the effectiveness check/);
  await plan.getByLabel('Effectiveness criteria').fill('No use of expired reagents in QC for three months.');
  await plan.getByLabel('Effectiveness check method').fill('Monthly review of the LIMS lot-check log and of the buffer preparation records.');
  await plan.getByLabel('Effectiveness check due').fill(inDays(90));
  await plan.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Effectiveness check due');
  await expect(page.getByRole('region', { name: 'Workflow actions' })).toContainText('The CAPA owner may not verify the effectiveness of their own CAPA');
});

test('[P11-50a-1] someone other than the CAPA owner verifies the effectiveness with a signature', async ({ page }) => {
  expect(capaUrl, 'needs the CAPA').toBeTruthy();
  await signIn(page, 'quinn.qa');
  await page.goto(capaUrl);
  const verify = await startAction(page, 'Verify: effective');
  await verify.getByLabel('Effectiveness evidence').fill('LIMS log: 0 expired lots used since the change; 42 buffer records checked, all with the expiry check.');
  await sign(verify, 'quinn.qa');
  await verify.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Effective, to close');
  await expect(page.getByTestId('effectiveness-result')).toHaveText('Verified effective');
});

test('[P11-50a-1] QA closes the CAPA, then the deviation', async ({ page }) => {
  expect(capaUrl, 'needs the CAPA').toBeTruthy();
  await signIn(page, 'qa.lead');
  await page.goto(capaUrl);
  const close = await startAction(page, /^Close/);
  await close.getByLabel('Closure summary').fill('Root cause removed, preventive LIMS check in place, effectiveness verified by QA review.');
  await sign(close, 'qa.lead');
  await close.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Closed');
  await expect(page.getByTestId('signature-manifestation')).toHaveCount(3);
  await shot(page, 'loop-05-capa-closed');

  await page.getByTestId('capa-source').click();
  await statusIs(page, /^Approved/);
  await expect(page.getByTestId('linked-capa')).toContainText('Closed');
  const closeDeviation = await startAction(page, /^Close/);
  await closeDeviation.getByLabel('Closure summary').fill('CAPA closed effective; held batches re-tested and released.');
  await sign(closeDeviation, 'qa.lead');
  await closeDeviation.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Closed');
});
