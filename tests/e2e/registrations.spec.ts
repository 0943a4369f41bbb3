// Care guides and warranty registration end to end in Chromium, on a 390 px phone and a desktop:
// a shopper reads the tent's care guide on last week's delivery, registers it with a serial and
// the reminder (JavaScript on), starts a warranty claim, then changes the serial with JavaScript
// off; the page reads right to left in Arabic; axe finds nothing. Screenshots go to the notes.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { and, eq, isNotNull } from 'drizzle-orm';
import { db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { recordPageChange } from '../../src/server/pagecache/record-change.ts';
import { putProduct } from '../../src/server/products/put-product.ts';

const link = (label: string) => (JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>)[label]!;
const ORDER = 'Delivered last week (ready for a review)';
const TENT = 'Ridgeline two-person tent';
const SHOTS = process.env.WARRANTY_SHOTS ?? '/work/notes';

async function expectNoAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe.configure({ mode: 'serial' });

// The demo tent gets a care guide and a two-year warranty; each project starts unregistered.
test.beforeAll(async () => {
  useDatabase(join(process.env.E2E_DATA_DIR!, 'waypost.db'));
  const order = (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.number, '1040'))))!;
  await putProduct({
    storeId: order.storeId,
    productId: 'TENT-2P-GRN',
    body: {
      title: TENT,
      variants: [{ sku: 'TENT-2P-GRN', title: 'Forest green', available: true }],
      careGuide: {
        title: 'Pitch it dry, store it dry',
        body: 'Let the fly sheet dry fully before you pack it away.\n\nWipe the poles clean and never force a kinked section.',
        url: 'https://northwind.example/care/ridgeline',
      },
      warrantyMonths: 24,
    },
    now: Date.now(),
  });
  await transaction(async (tx) => {
    await tx.delete(schema.cases).where(and(eq(schema.cases.orderId, order.id), isNotNull(schema.cases.registrationId)));
    await tx.delete(schema.registrations).where(eq(schema.registrations.orderId, order.id));
    await recordPageChange(tx, order.storeId, order.id, Date.now());
  });
  await new Promise((r) => setTimeout(r, 500)); // the server reads the feed every 150 ms
});

test('the shopper reads the care guide, registers the tent and starts a claim', async ({ page }, info) => {
  await page.goto(link(ORDER));
  await expect(page.getByRole('heading', { name: 'Pitch it dry, store it dry' })).toBeVisible();
  // The order holds boots and the tent: each delivered product has its own guide.
  const tentGuide = page.getByRole('region', { name: 'Pitch it dry, store it dry' });
  await expect(tentGuide.getByRole('link', { name: 'Read the full guide' })).toHaveAttribute(
    'href',
    'https://northwind.example/care/ridgeline',
  );
  const section = page.getByRole('region', { name: `Register your ${TENT}` });
  await expect(section).toContainText('Rosa Diaz');
  await expect(section).toContainText('rosa.diaz@example.com');
  await section.getByLabel('Serial number (optional)').fill('RL-2P-0042');
  await section.getByLabel('Remind me a month before the warranty ends').check();
  await page.screenshot({ path: join(SHOTS, `warranty-${info.project.name}-form.png`), fullPage: true });
  await section.getByRole('button', { name: 'Register your product' }).click();

  await expect(page).toHaveURL(/\?registered=TENT-2P-GRN#registration-TENT-2P-GRN$/);
  await expect(page.getByRole('status').filter({ hasText: `Thank you: your ${TENT} is registered.` })).toBeVisible();
  await expect(section).toContainText(/Warranty until \w+ \d+, \d{4}/);
  await expect(section).toContainText('Serial number: RL-2P-0042');
  await expect(section).toContainText('We will remind you a month before it ends.');
  await expectNoAxeViolations(page);
  await page.screenshot({ path: join(SHOTS, `warranty-${info.project.name}-registered.png`), fullPage: true });

  await section.getByText('Something wrong with it? Start a warranty claim').click();
  await section.getByLabel('What is wrong with it?').fill('A pole sleeve has split along the seam.');
  await section.getByRole('button', { name: 'Start a warranty claim' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your warranty claim is with Northwind Outfitters.' })).toBeVisible();
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the shopper changes the serial with a plain form, and the page reads right to left in Arabic', async ({ page }, info) => {
    await page.goto(link(ORDER));
    const section = page.getByRole('region', { name: `Register your ${TENT}` });
    await section.getByText('Change the serial number or reminder').click();
    await section.getByLabel('Serial number (optional)').fill('RL-2P-0043');
    await section.getByRole('button', { name: 'Update registration' }).click();
    await expect(page).toHaveURL(/\?registered=TENT-2P-GRN/);
    await expect(section).toContainText('Serial number: RL-2P-0043');
    const rows = await db().select().from(schema.registrations).where(eq(schema.registrations.sku, 'TENT-2P-GRN'));
    expect(rows.map((r) => r.serial)).toEqual(['RL-2P-0043']);

    await page.goto(`${link(ORDER)}?lang=ar`);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { name: 'سجّل Ridgeline two-person tent' })).toBeVisible();
    await expect(page.getByText('الرقم التسلسلي: RL-2P-0043')).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await page.screenshot({ path: join(SHOTS, `warranty-${info.project.name}-ar.png`), fullPage: true });
  });
});
