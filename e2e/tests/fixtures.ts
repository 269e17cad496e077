import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
mkdirSync(screenshotDir, { recursive: true });

export const password = (): string => {
  const value = process.env.VERITY_DEMO_PASSWORD;
  if (!value) throw new Error('VERITY_DEMO_PASSWORD is not set: global-setup.ts did not run');
  return value;
};

/** The test runner's baseURL comes from the server global-setup started on a free port. */
export const test = base.extend<{ contractWarnings: string[] }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their dependencies
  baseURL: async ({}, use) => {
    await use(process.env.VERITY_BASE_URL);
  },
  /** Responses that differ from the shared contracts are logged by the web client: collect them. */
  contractWarnings: [
    async ({ page }, use) => {
      const warnings: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'warning' && message.text().includes('differs from the contract')) warnings.push(message.text());
        if (message.type() === 'error') console.log(`[browser error] ${message.text()}`);
      });
      page.on('pageerror', (error) => console.log(`[page error] ${error.message}`));
      await use(warnings);
      if (warnings.length) console.log(`[contract] ${warnings.join('\n')}`);
    },
    { auto: true },
  ],
});
export { expect };

export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel(/^Password/).fill(password());
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The name in the header is hidden on narrow screens; "Sign out" is always there.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** The open modal dialog. */
export function dialog(page: Page): Locator {
  return page.getByRole('dialog');
}

/** Start a workflow step from the record page's Actions panel. */
export async function startAction(page: Page, label: string | RegExp): Promise<Locator> {
  await page.getByRole('region', { name: 'Workflow actions' }).getByRole('button', { name: label }).click();
  const modal = dialog(page);
  await expect(modal).toBeVisible();
  return modal;
}

/** Choose an option in a Mantine Select inside `scope`. */
export async function choose(scope: Locator, page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  await scope.getByRole('textbox', { name: label }).or(scope.getByRole('combobox', { name: label })).first().click();
  await page.getByRole('option', { name: option }).click();
}
