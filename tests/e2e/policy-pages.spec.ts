// The return policy page and an order's email preferences on a phone: axe (light
// and dark), no sideways scroll at 390 px, the policy's look-up answering by a plain form post
// (stopping and resuming marketing email is proven over HTTP in tests/integration/policy-pages.test.ts).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const base = () => process.env.E2E_BASE_URL!;
const links = () => JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>;

async function noSidewaysScroll(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what}: sideways scroll`).toBeLessThanOrEqual(0);
}

async function checked(page: Page, what: string) {
  await noSidewaysScroll(page, what);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(result.violations.map((v) => `${what} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the return policy page reads well on a phone and its look-up answers with the look-up’s one message', async ({ page }) => {
  await page.goto(`${base()}/demo/returns`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Return policy');
  await checked(page, 'return policy');
  await page.getByLabel('Order number').fill('nope');
  await page.getByLabel('Email or postal code').fill('nobody@example.com');
  await page.getByRole('button', { name: 'Start my return' }).click();
  await expect(page.getByRole('alert')).toContainText('We could not find an order with those details.');
  await noSidewaysScroll(page, 'return policy look-up refused');
});

test('the email preferences page reads well on a phone', async ({ page }) => {
  const order = Object.values(links())[0]!;
  await page.goto(`${order}/preferences`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your email preferences');
  await checked(page, 'email preferences');
  // The demo's orders carry no marketing consent: only service email, and no switch to offer.
  await expect(page.getByText('You did not agree to marketing email with this order')).toBeVisible();
  await expect(page.getByText('These are about your order, so they always come.')).toBeVisible();
});
