// The owner rebrands the shopper's pages: colours, a logo, the live and the real preview, save,
// and the shopper's order page changes at once. The demo store is shared with other specs, so
// every test that saves puts the original branding back.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { makePng } from '../fixtures/images.ts';

const base = () => process.env.E2E_BASE_URL!;
const orderLink = () => {
  const url = (JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>)['In transit'];
  if (!url) throw new Error('no demo link "In transit"');
  return url.replace('127.0.0.1', 'localhost');
};
const ORIGINAL = { primaryColor: '#1d4d3a', accentColor: '#c2410c' };
const NEW = { primaryColor: '#5b2a86', accentColor: '#0a6e4f' };
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

async function signIn(page: Page) {
  await page.goto(`${base()}/admin/login`);
  await page.getByLabel('Email').fill('owner@northwind.example');
  await page.getByLabel('Password').fill('trailhead-demo-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

/** Puts the demo store's colours back and removes any logo (the other specs' pages stay as seeded). */
async function restore(page: Page) {
  await page.goto(`${base()}/admin/branding`);
  await page.getByLabel('Primary colour (header)').fill(ORIGINAL.primaryColor);
  await page.getByLabel('Accent colour (links, buttons, progress)').fill(ORIGINAL.accentColor);
  const remove = page.getByLabel('Remove the logo and show the store’s name');
  if (await remove.count()) await remove.check();
  await page.getByRole('button', { name: 'Save branding' }).click();
  await expect(page).toHaveURL(/\/admin\/branding\?saved=/);
}

test('the owner changes colours and uploads a logo, previews, saves, and the shopper’s page shows it', async ({ page, context }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Branding' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Branding');
  try {
    await page.getByLabel('Primary colour (header)').fill(NEW.primaryColor);
    await page.getByLabel('Accent colour (links, buttons, progress)').fill(NEW.accentColor);
    await page.getByLabel('Upload a logo').setInputFiles({ name: 'northwind.png', mimeType: 'image/png', buffer: makePng(40, 16) });

    // The live preview follows the form before anything is saved.
    const live = page.getByTestId('live-preview');
    await expect(live.locator('.lp-header')).toHaveCSS('background-color', rgb(NEW.primaryColor));
    await expect(live.locator('.lp-button')).toHaveCSS('background-color', rgb(NEW.accentColor));
    await expect(live.locator('.lp-header img')).toHaveAttribute('src', /^data:image\/png;base64,/);

    // "Preview order page" renders the real order page with the unsaved branding in a new tab.
    const [preview] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: /Preview order page/ }).click()]);
    await preview.waitForLoadState();
    await expect(preview.getByText('Preview with your unsaved branding')).toBeVisible();
    await expect(preview.locator('header.brand')).toHaveCSS('background-color', rgb(NEW.primaryColor));
    await expect(preview.locator('header.brand img')).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect(preview.locator('section.parcel').first()).toBeVisible();
    expect(await preview.locator('header.brand img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(40);
    await preview.close();
    // Nothing was saved by previewing.
    const shopper = await context.newPage();
    await shopper.goto(orderLink());
    await expect(shopper.locator('header.brand')).toHaveCSS('background-color', rgb(ORIGINAL.primaryColor));

    await page.getByRole('button', { name: 'Save branding' }).click();
    await expect(page).toHaveURL(/\/admin\/branding\?saved=1$/);
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toContainText('Shopper pages show the new branding now');
    await expect(page.getByAltText('Current logo')).toHaveAttribute('src', /^\/assets\/[0-9a-f]{32}\.png$/);

    // The shopper's order page shows the new colour and logo at once.
    await shopper.reload();
    await expect(shopper.locator('header.brand')).toHaveCSS('background-color', rgb(NEW.primaryColor));
    const logo = shopper.locator('header.brand img');
    await expect(logo).toHaveAttribute('src', /^\/assets\/[0-9a-f]{32}\.png$/);
    await expect(logo).toHaveAttribute('alt', 'Northwind Outfitters');
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
    await expect(shopper.getByRole('link', { name: 'help@northwind.example' })).toBeVisible();
    await shopper.close();
  } finally {
    await restore(page);
  }
  const shopper = await context.newPage();
  await shopper.goto(orderLink());
  await expect(shopper.locator('header.brand')).toHaveCSS('background-color', rgb(ORIGINAL.primaryColor));
  await expect(shopper.locator('header.brand img')).toHaveCount(0);
});

test('a low-contrast accent colour shows a warning with its ratio, and what shopper pages use instead', async ({ page }) => {
  await signIn(page);
  await page.goto(`${base()}/admin/branding`);
  await expect(page.locator('.contrast-warning')).toHaveCount(0);
  await page.getByLabel('Accent colour (links, buttons, progress)').fill('#ffd700');
  const warning = page.locator('.contrast-warning');
  await expect(warning).toContainText('Warning: low contrast.');
  await expect(warning).toContainText('1.40:1');
  await expect(page.locator('#contrast-report li.warn')).toContainText(/Shopper pages use #[0-9a-f]{6} instead \([4-9]\.\d\d:1\)/);
  await page.getByLabel('Accent colour (links, buttons, progress)').fill('#0a6e4f');
  await expect(warning).toHaveCount(0);
});

test('axe finds no violations on the branding and policies pages, light and dark', async ({ page }) => {
  await signIn(page);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of ['/admin/branding', '/admin/policies']) {
      await page.goto(base() + path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      expect(result.violations.map((v) => `${scheme} ${path}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('a bad value comes back next to its field, linked for screen readers, and nothing is saved', async ({ page }) => {
    await signIn(page);
    await page.goto(`${base()}/admin/branding`);
    await page.getByLabel('Help centre web address').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await expect(page.getByRole('alert')).toContainText('The branding was not saved');
    const field = page.getByLabel('Help centre web address');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(/a web address starting with https:\/\//);
    await expect(field).toHaveValue('javascript:alert(1)');
    await page.goto(`${base()}/admin/branding`);
    await expect(page.getByLabel('Help centre web address')).toHaveValue('https://northwind.example/help');
  });
});
