import type { Locator, Page } from '@playwright/test';
import { dialog, expect, password, shot, signIn, startAction, test } from './fixtures';

/**
 * The critical path of document control, in a real browser: an author writes an SOP and signs it
 * into review, the named reviewer signs the review, QA approves it effective now with retraining,
 * and a trainee whose job function is on the distribution reads it and signs "Read and understood";
 * the revision's training evidence then counts the completion.
 */
test.describe.configure({ mode: 'serial' });

const title = `Cleaning of the filling needles ${Date.now().toString(36)}`;
let revisionUrl = '';
let documentUrl = '';
let documentNumber = '';

/** Fill the signature part of the open dialog or form: user name on the first signing, the statement once. */
async function sign(scope: Locator, username: string): Promise<void> {
  const user = scope.getByLabel('User name');
  if (await user.isVisible()) await user.fill(username);
  const statement = scope.getByLabel('I have read and accept this statement');
  if (await statement.isVisible()) await statement.check();
  await scope.getByLabel(/^Password/).fill(password());
}

/** Pick one option of a Mantine Select or MultiSelect, typing to narrow a searchable list first. */
async function pick(scope: Locator, page: Page, label: string, typed: string | null, option: string | RegExp): Promise<void> {
  const input = scope.getByRole('textbox', { name: label }).or(scope.getByRole('combobox', { name: label })).first();
  await input.click();
  if (typed) await input.fill(typed);
  await page.getByRole('option', { name: option }).click();
  await input.press('Escape');
}

async function statusIs(page: Page, label: string | RegExp): Promise<void> {
  await expect(page.getByTestId('record-title')).toHaveText(title);
  await expect(page.getByTestId('record-status')).toHaveText(label);
}

test('[P11-10e-1] an author creates an SOP, writes it, names a reviewer and signs it into review', async ({ page }) => {
  await signIn(page, 'dora.doccontrol');
  await page.getByRole('link', { name: 'Documents', exact: true }).click();
  await page.getByRole('link', { name: 'New document' }).click();
  await expect(page.getByRole('heading', { name: 'New document' })).toBeVisible();

  await pick(page.getByRole('main'), page, 'Site', null, /^BER/);
  await page.getByLabel('Department').fill('QA');
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Change summary').fill('New SOP: needle cleaning moves from the paper logbook into a controlled procedure.');
  await page.getByRole('button', { name: 'Create draft' }).click();

  await expect(page).toHaveURL(/\/documents\/revisions\/[0-9a-f-]{36}$/);
  revisionUrl = new URL(page.url()).pathname;
  await statusIs(page, 'Draft');
  await expect(page.getByTestId('effectivity-banner')).toContainText('NOT EFFECTIVE');
  documentNumber = ((await page.getByTestId('record-number').textContent()) ?? '').replace(/ v1\.0$/, '').trim();
  expect(documentNumber).toMatch(/^SOP-QA-\d{3}$/);

  await page.getByLabel('Text (Markdown)').fill(
    ['# Purpose', 'Keep the filling needles free of product residue.', '', '# Procedure', '1. Remove the needles after each batch.', '2. Rinse with **WFI** at 80 °C for 10 minutes.', '3. Record the cleaning in the batch record.'].join('\n'),
  );
  await expect(page.getByTestId('markdown-preview').getByRole('heading', { name: 'Procedure' })).toBeVisible();
  await pick(page.getByRole('region', { name: 'Draft editor' }), page, 'Reviewers', 'Quinn', /Quinn Q\. Reviewer/);
  await page.getByLabel('Reason for change').fill('First draft of the text; reviewer named');
  await shot(page, 'doc-01-draft-editor');
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('reviewers')).toContainText('Quinn Q. Reviewer');

  const modal = await startAction(page, /Sign and send for review/);
  await expect(modal.getByTestId('signature-meaning')).toHaveText('Authored');
  await sign(modal, 'dora.doccontrol');
  await shot(page, 'doc-02-send-for-review');
  await modal.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await statusIs(page, 'In review');
  await expect(page.getByTestId('signature-manifestation').filter({ hasText: 'Authored' })).toBeVisible();
  await expect(page.getByTestId('revision-body').getByRole('heading', { name: 'Procedure' })).toBeVisible();
});

test('document control sets who must read it: the filling operators', async ({ page }) => {
  expect(revisionUrl, 'needs the SOP from the first test').toBeTruthy();
  await signIn(page, 'dora.doccontrol');
  await page.goto(revisionUrl);
  await page.getByRole('link', { name: new RegExp(`^← ${documentNumber}`) }).click();
  await expect(page).toHaveURL(/\/documents\/[0-9a-f-]{36}$/);
  documentUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId('record-status')).toHaveText('In preparation');

  await page.getByRole('button', { name: 'Change distribution…' }).click();
  const modal = dialog(page);
  await pick(modal, page, 'Job functions', 'Filling', /Filling operator/);
  await modal.getByLabel('Reason for the change').fill('Every filling operator works to this SOP');
  await modal.getByRole('button', { name: 'Save distribution' }).click();
  await expect(modal).toBeHidden();
  await expect(page.getByTestId('distribution')).toContainText('Filling operator');
});

test('[P11-50a-1] the named reviewer signs the review', async ({ page }) => {
  expect(revisionUrl, 'needs the SOP from the first test').toBeTruthy();
  await signIn(page, 'quinn.qa');
  await page.goto(revisionUrl);
  await statusIs(page, 'In review');
  const modal = await startAction(page, /^Sign review/);
  await expect(modal.getByTestId('signature-meaning')).toHaveText('Reviewed');
  await sign(modal, 'quinn.qa');
  await modal.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByTestId('reviewers')).toContainText('✓ Signed');
  await statusIs(page, 'In review');
});

test('[P11-50a-1][P11-10e-1] QA approves effective now with retraining of everyone; the SOP is effective', async ({ page }) => {
  expect(revisionUrl, 'needs the SOP from the first test').toBeTruthy();
  await signIn(page, 'qa.lead');
  await page.goto(revisionUrl);
  await statusIs(page, 'In review');
  const modal = await startAction(page, /^Approve/);
  await modal.getByRole('button', { name: 'Now' }).click();
  await modal.getByLabel('Retrain everyone on the whole document').check();
  await expect(modal.getByLabel('No retraining (editorial change)')).toBeDisabled();
  await expect(modal.getByTestId('signature-meaning')).toHaveText('Approved');
  await sign(modal, 'qa.lead');
  await shot(page, 'doc-03-approve-dialog');
  await modal.getByTestId('transition-submit').click();
  await expect(dialog(page)).toBeHidden();

  await statusIs(page, 'Effective');
  await expect(page.getByTestId('effectivity-title')).toHaveText('EFFECTIVE');
  await expect(page.getByTestId('signature-manifestation').filter({ hasText: 'Approved' })).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? UTC/);
  await expect(page.getByTestId('training-count-required')).not.toHaveText(/^0/);
  await shot(page, 'doc-04-revision-effective');

  await page.goto(documentUrl);
  await expect(page.getByTestId('record-status')).toHaveText('Effective');
  await expect(page.getByTestId('current-version')).toHaveText('Version 1.0 effective');
  await expect(page.getByTestId('revision-row').first()).toContainText('in force now');
  await shot(page, 'doc-05-document-effective');
});

test('[P11-10i-1] a filling operator reads the SOP and signs "Read and understood"', async ({ page }) => {
  expect(documentNumber, 'needs the SOP from the first test').toBeTruthy();
  await signIn(page, 'oscar.operator');
  await page.goto('/training');
  await expect(page.getByRole('heading', { name: 'My training', level: 2 })).toBeVisible();
  const row = page.getByTestId('open-training-row').filter({ hasText: documentNumber });
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: documentNumber }).click();
  await expect(page).toHaveURL(/\/training\/[0-9a-f-]{36}$/);
  await expect(page.getByText('Rinse with')).toBeVisible();

  const form = page.getByRole('form', { name: 'Sign your training' });
  await sign(form, 'oscar.operator');
  await shot(page, 'doc-06-read-and-understood');
  await page.getByTestId('complete-training').click();
  await expect(page.getByTestId('training-completed')).toBeVisible();
  await expect(page.getByTestId('training-manifestation')).toContainText('Read and understood');
});

test('the revision counts the completed training; evidence is offered to training readers', async ({ page }) => {
  expect(revisionUrl, 'needs the SOP from the first test').toBeTruthy();
  await signIn(page, 'qa.lead');
  await page.goto(revisionUrl);
  await statusIs(page, 'Effective');
  const training = page.getByTestId('revision-training');
  await expect(training.getByTestId('training-count-completed')).toHaveText(/^1\s*completed$/);
  await expect(training.getByRole('link', { name: 'Evidence (CSV)' })).toBeVisible();
  await expect(training.getByRole('link', { name: 'Evidence (PDF)' })).toBeVisible();
  await page.getByRole('tab', { name: 'Training evidence' }).click();
  const evidence = page.getByRole('table', { name: 'Training evidence' });
  await expect(evidence.getByRole('row').filter({ hasText: 'Oscar Operator' })).toContainText('Read and understood');
  await shot(page, 'doc-07-training-evidence');
});
