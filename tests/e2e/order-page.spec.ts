// The shopper's journeys: look-up → order page, the page itself, JavaScript off, accessibility.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const base = () => process.env.E2E_BASE_URL!;
const links = () => JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>;
const link = (label: string) => {
  const url = links()[label];
  if (!url) throw new Error(`no demo link "${label}" in ${Object.keys(links()).join(', ')}`);
  return url;
};

test('a shopper types their order number and email as they would and lands on their order', async ({ page }) => {
  await page.goto(`${base()}/demo`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Track your order');
  await page.getByLabel('Order number').fill(' #1003 ');
  await page.getByLabel('Email or postal code').fill('Chloe.Martin@Example.com ');
  await page.getByRole('button', { name: 'Find my order' }).click();
  await expect(page).toHaveURL(/\/demo\/t\/[\w-]{22}\.[\w-]{22}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('In transit');
  await expect(page.getByText('Order #1003')).toBeVisible();
});

test('a postal code with odd spacing works too, and a wrong one says only that nothing matched', async ({ page }) => {
  await page.goto(`${base()}/demo`);
  await page.getByLabel('Order number').fill('1005');
  await page.getByLabel('Email or postal code').fill('00000');
  await page.getByRole('button', { name: 'Find my order' }).click();
  await expect(page.getByRole('alert')).toContainText('could not find an order');
  await page.getByLabel('Email or postal code').fill(' 981 05 ');
  await page.getByRole('button', { name: 'Find my order' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your order has been delivered');
});

test('the order page shows the milestone, the estimate, the items and the carrier timeline', async ({ page }) => {
  await page.goto(link('In transit'));
  const parcel = page.locator('section.parcel');
  await expect(parcel.locator('[aria-current="step"]')).toContainText('In transit');
  await expect(parcel.getByText(/^Arriving /)).toContainText(
    /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (January|February|March|April|May|June|July|August|September|October|November|December) \d+/,
  );
  await expect(parcel.getByText('Ember 20°F sleeping bag')).toBeVisible();
  await expect(parcel.getByText('Arrived at USPS regional facility')).toBeVisible();
  await expect(parcel.getByRole('link', { name: /9400111899560000000003/ })).toHaveAttribute('href', /usps\.com/);
  await expect(page.getByRole('link', { name: 'help@northwind.example' })).toBeVisible();
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);
});

test('a split order shows each parcel with its own items, and items not shipped yet', async ({ page }) => {
  await page.goto(link('Partly shipped, rest being prepared'));
  await expect(page.getByRole('heading', { name: 'Still being prepared' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Items being prepared' })).toContainText('Cascade rain jacket');
  await page.goto(link('One parcel delivered, one moving'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('1 of 2 parcels delivered');
  await expect(page.getByRole('heading', { name: /Parcel 1 of 2/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Parcel 2 of 2/ })).toBeVisible();
});

test('late and exception parcels say so calmly', async ({ page }) => {
  await page.goto(link('Late (past its promised date)'));
  await expect(page.getByText(/^Your parcel is running .*late$/)).toBeVisible();
  await expect(page.locator('.notice.warn')).toContainText('New estimate:');
  await page.goto(link('Carrier exception (address problem)'));
  await expect(page.getByText('The carrier could not find the delivery address')).toBeVisible();
  await expect(page.getByText('A member of the Northwind Outfitters team will contact you about it.')).toBeVisible();
});

test('a tampered link is a helpful 404', async ({ page }) => {
  const url = link('In transit');
  const response = await page.goto(url.slice(0, -2) + (url.endsWith('AA') ? 'BB' : 'AA'));
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not open an order');
  await expect(page.getByRole('link', { name: 'Look up your order' })).toBeVisible();
});

test('no sideways scrolling, and a screenshot to look at', async ({ page }, info) => {
  for (const label of ['In transit', 'One parcel delivered, one moving', 'Carrier exception (address problem)']) {
    await page.goto(link(label));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, label).toBeLessThanOrEqual(0);
  }
  await page.goto(link('One parcel delivered, one moving'));
  await page.screenshot({ path: info.outputPath(`order-${info.project.name}.png`), fullPage: true });
});

test('axe finds no violations on the look-up and order pages, light and dark', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const url of [
      `${base()}/demo`,
      link('In transit'),
      link('Late (past its promised date)'),
      link('Carrier exception (address problem)'),
      link('Split across two parcels'),
    ]) {
      await page.goto(url);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      expect(result.violations.map((v) => `${scheme} ${url}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('look-up and order page work without any script', async ({ page }) => {
    await page.goto(`${base()}/demo`);
    await page.getByLabel('Order number').fill('1004');
    await page.getByLabel('Email or postal code').fill('dev.patel@example.com');
    await page.getByRole('button', { name: 'Find my order' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Out for delivery');
    await expect(page.getByText('Tracking history')).toBeVisible();
  });
});
