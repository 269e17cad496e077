import type { Page } from '@playwright/test';
import { expect, shot, signIn, test } from './fixtures';

/**
 * The main pages at laptop, tablet and portrait-tablet sizes: nothing may make the whole page
 * scroll sideways (wide tables scroll inside their own box). Screenshots for review.
 */
const sizes = [
  { name: '1280', width: 1280, height: 800 },
  { name: '1024', width: 1024, height: 768 },
  { name: '768', width: 768, height: 1024 },
];

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
}

for (const size of sizes) {
  test(`pages fit a ${size.width}×${size.height} screen`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await shot(page, `40-login-${size.name}`);

    await signIn(page, 'qa.lead');
    await page.goto('/account');
    await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
    await noSidewaysScroll(page);
    await shot(page, `41-account-${size.name}`);

    await page.goto('/deviations');
    await expect(page.getByTestId('record-row').first()).toBeVisible();
    await noSidewaysScroll(page);
    await shot(page, `42-deviations-${size.name}`);

    await page.getByTestId('record-row').first().getByRole('link').first().click();
    await expect(page.getByTestId('record-status')).toBeVisible();
    await noSidewaysScroll(page);
    await shot(page, `43-record-${size.name}`);
  });
}

test('the users page fits a tablet', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, 'ada.admin');
  await page.goto('/admin/users');
  await expect(page.getByRole('table', { name: 'Users' })).toBeVisible();
  await noSidewaysScroll(page);
  await shot(page, '44-users-1024');
});
