import type { Page } from '@playwright/test';
import { totpCode } from '../../packages/core/src/identity/totp';
import { choose, dialog, expect, shot, signIn, signOut, test } from './fixtures';

/**
 * A person's account from the first day: created by an administrator with a temporary password,
 * forced to choose their own, then a second factor (TOTP) and an API token from "My account";
 * and the administrator's account actions on the Users page.
 */
test.describe.configure({ mode: 'serial' });

const suffix = Date.now().toString(36);
const username = `nina.${suffix}`;
const fullName = `Nina Newcomer ${suffix}`;
const ownPassword = `Quiet-harbour-${suffix}-42`;
let temporaryPassword = '';
let totpSecret = '';

async function signInAs(page: Page, user: string, secret: string, totp?: () => Promise<string>): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel(/^Password/).fill(secret);
  if (totp) {
    await page.getByRole('button', { name: 'I use an authenticator app' }).click();
    await page.getByRole('textbox', { name: 'Authenticator code' }).fill(await totp());
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
}

let lastUsedStep = -1;
const stepOf = (date: Date) => Math.floor(date.getTime() / 30_000);

/** The authenticator's current code; the server accepts each code once, so wait for a new 30-second step if this one was used. */
async function freshCode(): Promise<string> {
  while (stepOf(new Date()) <= lastUsedStep) await new Promise((resolve) => setTimeout(resolve, 250));
  lastUsedStep = stepOf(new Date());
  return totpCode(totpSecret, new Date());
}

test('[P11-200a3-1] an administrator creates a user and gets a one-time temporary password', async ({ page }) => {
  await signIn(page, 'ada.admin');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  const modal = dialog(page);
  await modal.getByLabel('User name').fill(username);
  await modal.getByLabel('Full name').fill(fullName);
  await modal.getByRole('button', { name: '+ Add role' }).click();
  await choose(modal, page, 'Site of role 1', /^BER/);
  await modal.getByRole('button', { name: 'Create user' }).click();

  const temp = dialog(page).getByTestId('temporary-password');
  await expect(temp).toBeVisible();
  await expect(dialog(page)).toContainText('shown only once');
  temporaryPassword = ((await temp.textContent()) ?? '').trim();
  expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
  await shot(page, '20-users-temporary-password');
  await dialog(page).getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(username);

  // The administrator's own row offers no role, unlock or deactivate actions (segregation of duties).
  await page.getByRole('button', { name: 'Actions for ada.admin' }).click();
  await expect(page.getByRole('menu')).toContainText('Another administrator must change your roles');
  await expect(page.getByRole('menuitem', { name: /Edit roles/ })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: /Deactivate/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await signOut(page);
});

test('[P11-100b-1] the administrator records how the new user\'s identity was verified: their electronic signature is established', async ({ page }) => {
  expect(temporaryPassword, 'needs the user created in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signIn(page, 'ada.admin');
  await page.goto('/admin/users');
  const row = page.getByRole('row').filter({ hasText: username });
  await expect(row.getByTestId('signature-state')).toHaveText('Identity not verified');

  // Nobody verifies their own identity (segregation of duties).
  await page.getByRole('button', { name: 'Actions for ada.admin' }).click();
  await expect(page.getByRole('menu')).toContainText('verify your identity');
  await expect(page.getByRole('menuitem', { name: /identity verification/ })).toHaveCount(0);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await page.getByRole('menuitem', { name: 'Record identity verification…' }).click();
  const modal = dialog(page);
  await expect(modal).toContainText('11.100(b)');
  await modal.getByRole('button', { name: 'Record verification' }).click();
  await expect(modal.getByText('Choose how you verified the identity')).toBeVisible();
  await expect(modal.getByText('Say where the evidence can be found')).toBeVisible();
  await choose(modal, page, 'How was the identity verified?', 'In person, with an official photo ID');
  await modal.getByLabel('Evidence reference').fill('Passport checked, HR file 2026-118');
  await shot(page, '28-users-identity-verification');
  await modal.getByRole('button', { name: 'Record verification' }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByText('Identity verification recorded')).toBeVisible();
  await expect(row.getByTestId('signature-state')).toHaveText('Signature established');
  await shot(page, '29-users-signature-established');
  await signOut(page);
});

test('[P11-200a3-1][P11-300b-1] the temporary password must be changed at first sign-in; the policy is shown and enforced', async ({ page }) => {
  expect(temporaryPassword, 'needs the user created in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signInAs(page, username, temporaryPassword);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  const policy = page.getByTestId('password-policy');
  await expect(policy).toContainText('at least 12 characters');
  await expect(policy).toContainText('not one of your last 5 passwords');
  // Nothing else is reachable until the password is changed.
  await page.goto('/deviations');
  await expect(page).toHaveURL(/\/change-password$/);

  // Checked in the browser: too short.
  await page.getByLabel('Current password').fill(temporaryPassword);
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('short-1');
  await page.getByLabel('Repeat new password').fill('short-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('The new password needs at least 12 characters.')).toBeVisible();

  // Checked by the server: long enough, but one repeated character is too easy to guess.
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('zzzzzzzzzzzzzzzz');
  await page.getByLabel('Repeat new password').fill('zzzzzzzzzzzzzzzz');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('is too easy to guess')).toBeVisible();
  await shot(page, '21-forced-password-change-policy');

  await page.getByRole('textbox', { name: 'New password', exact: true }).fill(ownPassword);
  await page.getByLabel('Repeat new password').fill(ownPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'My tasks' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText(fullName);
});

test('[P11-10j-1] the user reads and accepts the e-signature accountability statement on "My account"', async ({ page }) => {
  expect(temporaryPassword, 'needs the user created in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signInAs(page, username, ownPassword);
  await expect(page.getByTestId('current-user')).toHaveText(fullName);
  await page.goto('/account');
  const section = page.getByRole('region', { name: 'Electronic signature' });
  await expect(section.getByTestId('signature-established')).toContainText('Established');
  await expect(section.getByTestId('signature-statement-status')).toContainText('Statement not accepted');
  await section.getByRole('button', { name: 'Read and accept the statement…' }).click();
  const modal = dialog(page);
  await expect(modal.getByTestId('signature-statement-text')).toContainText('legally binding equivalent of my handwritten signature');
  await modal.getByRole('button', { name: 'Accept statement' }).click();
  await expect(modal.getByText('Tick the box to accept the statement')).toBeVisible();
  await modal.getByRole('checkbox', { name: 'I have read and accept this statement' }).check();
  await shot(page, '28b-account-accept-statement');
  await modal.getByRole('button', { name: 'Accept statement' }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(section.getByTestId('signature-statement-status')).toContainText('Statement accepted');
  await section.getByRole('button', { name: 'Read the statement' }).click();
  await expect(dialog(page)).toContainText('You have accepted this statement.');
  await dialog(page).getByRole('button', { name: 'Close' }).click();
  await signOut(page);
});

test('[P11-200a1-1] the user enrols an authenticator (TOTP); from then on sign-in needs the code too', async ({ page }) => {
  test.setTimeout(150_000);
  expect(temporaryPassword, 'needs the user created in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signInAs(page, username, ownPassword);
  await page.getByTestId('current-user').click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Your roles' })).toContainText('Operator');
  await expect(page.getByTestId('session-expiry')).toContainText('Ends at');

  const twoFactor = page.getByRole('region', { name: 'Two-factor authentication' });
  await twoFactor.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const shown = ((await twoFactor.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(shown).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  totpSecret = shown.replace(/\s+/g, '');
  await expect(twoFactor.getByTestId('totp-url')).toContainText(`otpauth://totp/Verity:${username}?secret=${totpSecret}`);
  await expect(twoFactor.getByLabel('Code from your authenticator app')).toBeFocused();
  await shot(page, '22-account-totp-enrolment');

  // A wrong code is refused and nothing is switched on.
  const wrong = String((Number(totpCode(totpSecret, new Date())) + 500_000) % 1_000_000).padStart(6, '0');
  await twoFactor.getByLabel('Code from your authenticator app').fill(wrong);
  await twoFactor.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(twoFactor.getByText('The code does not match')).toBeVisible();

  await twoFactor.getByLabel('Code from your authenticator app').fill(await freshCode());
  await twoFactor.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(twoFactor.getByTestId('totp-on')).toContainText('Two-factor authentication is on');
  await expect(twoFactor).toContainText('ask an administrator');
  await shot(page, '23-account-totp-on');
  await signOut(page);

  // Password alone is no longer enough: the page asks for the code and puts the cursor there.
  await signInAs(page, username, ownPassword);
  await expect(page.getByTestId('login-error')).toContainText('Enter your authenticator code');
  const code = page.getByRole('textbox', { name: 'Authenticator code' });
  await expect(code).toBeFocused();
  await shot(page, '24-sign-in-asks-for-code');
  await code.fill(await freshCode()); // may wait up to 30 s: the enrolment code is spent
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(fullName);
});

test('[P11-10g-1] an API token is shown once, with its scopes, and works as a bearer token', async ({ page, request }) => {
  test.setTimeout(150_000);
  expect(totpSecret, 'needs the authenticator enrolled in the previous test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  await signInAs(page, username, ownPassword, freshCode);
  await expect(page.getByTestId('current-user')).toBeVisible();
  await page.goto('/account');
  const tokens = page.getByRole('region', { name: 'API tokens' });
  await tokens.getByRole('button', { name: 'Create token' }).click();
  await expect(tokens.getByText('Name the token after what uses it')).toBeVisible();
  await tokens.getByLabel('Name').fill('E2E export');
  await tokens.getByLabel('Expires after (days)').fill('30');
  await tokens.getByRole('button', { name: 'Create token' }).click();

  const modal = dialog(page);
  await expect(modal).toContainText('it will not be shown again');
  const token = ((await modal.getByTestId('api-token').textContent()) ?? '').trim();
  expect(token).toMatch(/^vty_/);
  await shot(page, '25-api-token-once');
  await modal.getByRole('button', { name: 'I have copied it' }).click();
  await expect(dialog(page)).toBeHidden();

  const read = await request.get('/api/v1/deviations?limit=1', { headers: { Authorization: `Bearer ${token}` } });
  expect(read.status()).toBe(200);
  // A valid report the user's operator role would allow: refused because the token has no write scope.
  const report = { title: 'Reported through a read-only token', siteCode: 'BER', description: 'Must be refused.', occurredAt: new Date().toISOString() };
  const write = await request.post('/api/v1/deviations', { headers: { Authorization: `Bearer ${token}` }, data: report });
  expect(write.status()).toBe(403);
});

test('[P11-300d-1][P11-10d-2] the administrator resets, unlocks and deactivates the user, each with a reason', async ({ page, request }) => {
  expect(temporaryPassword, 'needs the user created in the first test').toBeTruthy(); // serial mode: a failed earlier test stops this one
  // Lock the account with five wrong passwords.
  for (let attempt = 0; attempt < 5; attempt++) {
    await request.post('/api/v1/auth/login', { data: { username, password: 'not-the-password-at-all' } });
  }
  await signIn(page, 'ada.admin');
  await page.goto('/admin/users');
  const row = page.getByRole('row').filter({ hasText: username });
  await expect(row).toContainText('Locked');
  await shot(page, '26-users-locked');

  const act = async (item: string, reason: string, confirm: string) => {
    await page.getByRole('button', { name: `Actions for ${username}` }).click();
    await page.getByRole('menuitem', { name: item }).click();
    const modal = dialog(page);
    await modal.getByLabel('Reason').fill(reason);
    await modal.getByRole('button', { name: confirm }).click();
  };

  await act('Unlock…', 'Locked after typing errors; identity confirmed by phone.', 'Unlock account');
  await expect(row).toContainText('Active');

  await page.getByRole('button', { name: `Actions for ${username}` }).click();
  await page.getByRole('menuitem', { name: 'Edit roles…' }).click();
  const roles = dialog(page);
  await roles.getByRole('button', { name: '+ Add role' }).click();
  await choose(roles, page, /^Role 2$/, 'Investigator');
  await choose(roles, page, /^Site of role 2$/, /^BER/);
  await roles.getByLabel('Reason').fill('Joins the investigation team.');
  await roles.getByRole('button', { name: 'Edit roles' }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(row).toContainText('Investigator · BER');
  await expect(row).toContainText('Operator · BER');

  await act('Reset password…', 'Forgot the password; identity confirmed in person.', 'Reset password');
  await expect(dialog(page).getByTestId('temporary-password')).toBeVisible();
  await dialog(page).getByRole('button', { name: 'Done' }).click();

  await act('Deactivate…', 'Left the company.', 'Deactivate user');
  await expect(row).toContainText('Deactivated');
  await shot(page, '27-users-after-actions');
});
