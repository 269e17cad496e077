import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { choose, dialog, expect, password, screenshotDir, shot, signIn, startAction, test } from './fixtures';

/**
 * The critical path of a quality event, in a real browser: capture on the shop floor, QA triage,
 * investigation, QA approval with an electronic signature, and the evidence an inspector reads.
 */
test.describe.configure({ mode: 'serial' });

const title = `Filling line 2 stopped: fill weight out of limits ${Date.now().toString(36)}`;
let recordUrl = '';
let recordNumber = '';

/** Fill the signature part of the open dialog (user name only on the first signing of the session). */
async function sign(modal: Locator, secret: string, username: string): Promise<void> {
  const user = modal.getByLabel('User name');
  if (await user.isVisible()) await user.fill(username);
  await modal.getByLabel(/^Password/).fill(secret);
}

async function statusIs(page: Page, label: string | RegExp): Promise<void> {
  await expect(page.getByRole('heading', { level: 2 })).toContainText(title);
  await expect(page.getByTestId('record-status')).toHaveText(label);
}

test('[P11-10e-1] an operator reports a deviation and finds it in the list', async ({ page }) => {
  await signIn(page, 'oscar.operator');
  await shot(page, '01-my-tasks-operator');
  await page.getByRole('link', { name: 'Deviations' }).click();
  await page.getByRole('link', { name: 'Report deviation' }).click();
  await expect(page.getByRole('heading', { name: 'Report a deviation' })).toBeVisible();

  await page.getByLabel('Title').fill(title);
  const siteInput = page.getByRole('textbox', { name: 'Site' }).or(page.getByRole('combobox', { name: 'Site' }));
  if ((await siteInput.inputValue()) === '') {
    await siteInput.click();
    await page.getByRole('option', { name: /^BER/ }).click();
  }
  await page.getByLabel('Description').fill('During filling of batch 24-0117 the checkweigher rejected 14 vials in a row (fill weight 2.31 g, limit 2.40–2.60 g).');
  await page.getByLabel('Area / location').fill('Filling line 2, cleanroom B');
  await page.getByLabel('Product / batch').fill('Product X 10 mg/ml, batch 24-0117');
  await page.getByLabel('Immediate action / containment').fill('Line stopped, 240 vials since the last good check quarantined.');
  await shot(page, '02-report-deviation');
  await page.getByRole('button', { name: 'Report deviation' }).click();

  await expect(page).toHaveURL(/\/deviations\/[0-9a-f-]{36}$/);
  await statusIs(page, 'Reported');
  recordUrl = new URL(page.url()).pathname;
  recordNumber = (await page.getByTestId('record-number').textContent())?.trim() ?? '';
  expect(recordNumber).toMatch(/^DEV-/);

  await page.getByRole('link', { name: 'Deviations', exact: true }).first().click();
  await page.getByLabel('Search', { exact: true }).fill(recordNumber);
  const row = page.getByTestId('record-row').filter({ hasText: recordNumber });
  await expect(row).toBeVisible();
  await expect(row).toContainText(title);
  await expect(row).toContainText('Reported');
  await page.getByLabel('Search', { exact: true }).fill('');
  await expect(page.getByTestId('record-row').first()).toBeVisible();
  await shot(page, '03-deviations-list');
  copyToDocs('03-deviations-list');
});

test('[P11-10f-1] QA triages the deviation as major with a rationale', async ({ page }) => {
  expect(recordUrl, 'needs the deviation reported in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signIn(page, 'qa.lead');
  await page.goto(recordUrl);
  await statusIs(page, 'Reported');
  const modal = await startAction(page, /triage|classif/i);
  await choose(modal, page, 'Classification', 'Major');
  await modal.getByLabel('Triage rationale').fill('Potential impact on dose accuracy of a released product family; batch on hold.');
  const reason = modal.getByLabel('Reason');
  if (await reason.isVisible()) await reason.fill('Triage after line stop.');
  if (await modal.getByText('Electronic signature', { exact: true }).isVisible()) await sign(modal, password(), 'qa.lead');
  await shot(page, '04-triage-dialog');
  await modal.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Under investigation');
  await expect(page.locator('[data-field="classification"]')).toHaveText('Major');
});

test('[P11-10f-1][P11-200a1i-1] the investigator records the root cause and submits for QA approval', async ({ page }) => {
  expect(recordUrl, 'needs the deviation reported in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signIn(page, 'ivy.investigator');
  await page.goto(recordUrl);
  await statusIs(page, 'Under investigation');
  const modal = await startAction(page, /submit/i);
  if (await modal.getByText('Root-cause category (6M)').isVisible()) await choose(modal, page, 'Root-cause category (6M)', 'Machine (equipment)');
  const fill = async (label: string, value: string) => {
    const input = modal.getByLabel(new RegExp(`^${label}( \\*)?$`));
    if (await input.isVisible()) await input.fill(value);
  };
  await fill('Root cause', 'Worn dosing pump seal on station 4 let air into the product line.');
  const whys = ['Why were vials under-filled? Dosing pump 4 delivered less volume.', 'Why less volume? Air entered the pump chamber.', 'Why air? The seal was worn.'];
  for (const [index, why] of whys.entries()) {
    const line = modal.getByLabel(`5 whys ${index + 1}`);
    if (!(await line.isVisible())) {
      const add = modal.getByRole('button', { name: '+ Add line' });
      if (!(await add.isVisible())) break;
      await add.click();
    }
    await modal.getByLabel(`5 whys ${index + 1}`).fill(why);
  }
  await fill('Investigation summary', 'Pump seal inspection confirmed wear beyond the replacement interval; maintenance plan did not cover station 4.');
  await fill('Product impact', 'Under-filled vials were rejected by the checkweigher; quarantined vials re-inspected, none released out of limits.');
  await fill('Reason', 'Investigation complete.');
  if (await modal.getByText('Electronic signature', { exact: true }).isVisible()) await sign(modal, password(), 'ivy.investigator');
  await shot(page, '05-submit-dialog');
  await modal.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'Pending QA approval');
  await expect(page.locator('[data-field="fiveWhys"] li')).toHaveCount(3);
});

test('[P11-200a1-1] a wrong signature password is refused clearly and changes nothing', async ({ page }) => {
  expect(recordUrl, 'needs the deviation reported in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signIn(page, 'qa.lead');
  await page.goto(recordUrl);
  await statusIs(page, 'Pending QA approval');
  const versionBefore = (await page.getByText(/^Version \d+$/).textContent()) ?? '';
  const signaturesBefore = await page.getByTestId('signature').count();

  const modal = await startAction(page, /approve/i);
  await expect(modal.getByText('legally binding equivalent of my handwritten signature')).toBeVisible();
  await choose(modal, page, 'CAPA decision', 'CAPA required');
  await sign(modal, 'definitely-not-the-password', 'qa.lead');
  await modal.getByTestId('transition-submit').click();
  await expect(modal.getByTestId('signature-error')).toBeVisible();
  await expect(modal.getByTestId('signature-error')).toContainText('Nothing was changed');
  await expect(modal.getByLabel(/^Password/)).toHaveValue('');
  await shot(page, '06-signature-wrong-password');
  await modal.getByRole('button', { name: 'Cancel' }).click();

  await page.reload();
  await statusIs(page, 'Pending QA approval');
  await expect(page.getByText(/^Version \d+$/)).toHaveText(versionBefore);
  await expect(page.getByTestId('signature')).toHaveCount(signaturesBefore);
});

test('[P11-50a-1][P11-50b-1][P11-10e-1] QA approves with an electronic signature; manifestation and audit trail are shown', async ({ page }) => {
  expect(recordUrl, 'needs the deviation reported in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signIn(page, 'qa.lead');
  await page.goto(recordUrl);
  await statusIs(page, 'Pending QA approval');
  const modal = await startAction(page, /approve/i);
  await choose(modal, page, 'CAPA decision', 'No CAPA needed (justify)');
  await modal.getByLabel('Why no CAPA is needed').fill('Isolated event: the immediate action removed the cause; no recurrence in the trend.');
  const meaning = modal.getByTestId('signature-meaning');
  if (await meaning.isVisible()) await expect(meaning).toHaveText('Approved');
  else await choose(modal, page, 'Meaning of this signature', 'Approved');
  await sign(modal, password(), 'qa.lead');
  await shot(page, '07-signature-dialog');
  await modal.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, /^Approved/);

  const manifestation = page.getByTestId('signature-manifestation').filter({ hasText: 'Approved' });
  await expect(manifestation).toBeVisible();
  await expect(manifestation).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? UTC/);
  await expect(page.getByTestId('signature').filter({ hasText: 'Approved' })).toContainText('Valid for current content');

  const trail = page.getByTestId('audit-trail');
  await expect(trail).toBeVisible();
  const classification = trail.getByTestId('audit-change').filter({ hasText: 'Classification' });
  await expect(classification.first()).toContainText('→');
  await expect(classification.first()).toContainText('major');
  await expect(trail).toContainText('UTC');
  await shot(page, '08-record-approved');
  copyToDocs('08-record-approved', 'record');
});

test('[P11-10a-1] administration pages: users, and the audit-trail integrity check run from the browser', async ({ page }) => {
  await signIn(page, 'ada.admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText('qa.lead');
  await shot(page, '09-users');
  await page.getByRole('link', { name: 'Audit-trail integrity' }).click();
  await page.getByRole('button', { name: 'Verify audit trail now' }).click();
  await expect(page.getByTestId('integrity-ok')).toContainText('Audit trail intact');
  await shot(page, '10-integrity');
});

test('search finds the deviation from the header box', async ({ page }) => {
  expect(recordNumber, 'needs the deviation reported in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signIn(page, 'ingrid.inspector');
  await page.getByLabel('Search all records').fill('checkweigher');
  await page.getByLabel('Search all records').press('Enter');
  await expect(page.getByRole('link', { name: new RegExp(recordNumber) })).toBeVisible();
  await shot(page, '11-search');
});

/** One screenshot for the README. */
function copyToDocs(name: string, _kind = 'list'): void {
  const docs = join(screenshotDir, '..', '..', 'docs');
  mkdirSync(docs, { recursive: true });
  if (_kind === 'record' || !process.env.VERITY_DOCS_SHOT_TAKEN) {
    copyFileSync(join(screenshotDir, `${name}.png`), join(docs, 'screenshot.png'));
    process.env.VERITY_DOCS_SHOT_TAKEN = '1';
  }
}
