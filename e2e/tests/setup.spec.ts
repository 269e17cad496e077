import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StartedServer, startServer } from '../server';
import { expect, shot, test } from './fixtures';

/**
 * First run: a server on an empty data folder prints a one-time setup link; the first
 * administrator is created through the page (and the link works only once).
 */
let server: StartedServer | null = null;
let dataDir = '';

test.beforeAll(async () => {
  test.setTimeout(150_000);
  dataDir = mkdtempSync(join(tmpdir(), 'verity-e2e-setup-'));
  server = await startServer(dataDir, 120_000);
});

test.afterAll(async () => {
  await server?.stop();
  if (dataDir && !process.env.VERITY_E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
});

async function setupLink(s: StartedServer): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = /\/setup\?token=([A-Za-z0-9_-]+)/.exec(s.stdout());
    if (match) return `/setup?token=${match[1]}`;
    if (Date.now() > deadline) throw new Error(`the server printed no setup link:\n${s.stdout()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('[P11-10d-1][P11-300b-1] first run: the printed setup link creates the first administrator', async ({ page }) => {
  if (!server) throw new Error('the setup server did not start');
  const s = server;
  const link = await setupLink(s);

  // Any page leads to setup while no user exists.
  await page.goto(`${s.baseUrl}/deviations`);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByLabel('Setup token')).toBeVisible();

  await page.goto(`${s.baseUrl}${link}`);
  await expect(page.getByRole('heading', { name: 'Set up Verity' })).toBeVisible();
  await expect(page.getByLabel('Setup token')).toHaveCount(0);
  await page.getByLabel('User name').fill('first.admin');
  await page.getByLabel('Full name').fill('Fiona First');
  await page.getByLabel('E-mail').fill('fiona@example.org');
  await expect(page.getByTestId('password-policy')).toContainText('at least 12 characters');

  // The policy is enforced by the server: the user name may not be part of the password.
  await page.getByLabel(/^Password/).fill('first.admin-is-me-2024');
  await page.getByLabel('Repeat password').fill('first.admin-is-me-2024');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByText('must not contain the user name', { exact: true })).toBeVisible();

  const secret = 'Lantern-meadow-71-quartz';
  await page.getByLabel(/^Password/).fill(secret);
  await page.getByLabel('Repeat password').fill(secret);
  await shot(page, '30-setup');
  await page.getByRole('button', { name: 'Create administrator' }).click();

  await expect(page.getByTestId('current-user')).toHaveText('Fiona First');
  await page.getByRole('link', { name: 'Users' }).click();
  const table = page.getByRole('table', { name: 'Users' });
  await expect(table).toContainText('first.admin');
  await expect(table).toContainText('System administrator · MAIN');

  // The link worked once: setup is over for everyone.
  const again = await page.request.post(`${s.baseUrl}/api/v1/setup`, {
    data: { token: link.split('=')[1], username: 'second.admin', fullName: 'Second', password: 'Another-long-password-9' },
  });
  expect(again.status()).toBe(409);
});
