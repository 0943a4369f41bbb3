// "You might also like" on the after-delivery order page in Chromium: the demo's delivered order
// gets a catalogue (related products, one sold out, one already in the order), and the page shows
// the available, unbought ones with picture, title and link, in English and in Arabic (right to
// left), with and without JavaScript, no sideways scroll at 390 px; axe finds nothing.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { and, eq } from 'drizzle-orm';
import { db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { putProduct } from '../../src/server/products/put-product.ts';

const link = (label: string) => (JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>)[label]!;
const ORDER = 'Delivered last week (ready for a review)';
const SHOP = 'https://shop.northwind.example';

/** A square picture per product, served by the test in place of the shop's image host. */
const picture = (letter: string, hue: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320"><rect width="320" height="320" fill="hsl(${hue} 45% 45%)"/><text x="160" y="200" font-size="140" text-anchor="middle" fill="#fff" font-family="sans-serif">${letter}</text></svg>`;
const CATALOGUE = [
  { id: 'BOOT-HK-42', title: 'Switchback hiking boots', related: ['SOCK-MW-3', 'LAMP-400', 'TENT-2P-GRN', 'MUG-TI-450'] },
  { id: 'TENT-2P-GRN', title: 'Ridgeline two-person tent', related: ['BAG-20F-REG', 'LAMP-400'] },
  { id: 'SOCK-MW-3', title: 'Merino hiking socks, 3 pairs', related: [] },
  { id: 'LAMP-400', title: 'Trailblaze 400 headlamp', related: [], soldOut: true },
  { id: 'MUG-TI-450', title: 'Titanium camp mug', related: [] },
  { id: 'BAG-20F-REG', title: 'Ember 20°F sleeping bag', related: [] },
];
const SHOWN = ['Merino hiking socks, 3 pairs', 'Titanium camp mug', 'Ember 20°F sleeping bag'];

async function expectNoAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
async function noSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
}

test.beforeAll(async () => {
  useDatabase(join(process.env.E2E_DATA_DIR!, 'waypost.db'));
  const store = (await firstRow(db().select({ id: schema.stores.id }).from(schema.stores).where(eq(schema.stores.slug, 'demo'))))!;
  for (const [i, p] of CATALOGUE.entries()) {
    const slug = p.id.toLowerCase();
    // Putting a product drops the store's stored pages (the change feed tells the server).
    await putProduct({
      storeId: store.id,
      productId: p.id,
      now: Date.now(),
      body: {
        title: p.title,
        url: `${SHOP}/products/${slug}`,
        imageUrl: `${SHOP}/images/${slug}.svg?hue=${i * 55}`,
        variants: [{ sku: p.id, title: 'Default', available: !p.soldOut }],
        related: p.related,
      },
    });
  }
  const order = await firstRow(
    db()
      .select({ id: schema.orders.id })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, store.id), eq(schema.orders.number, '1040'))),
  );
  expect(order).toBeDefined();
});

test.beforeEach(async ({ page }) => {
  await page.route(`${SHOP}/images/**`, (route) => {
    const url = new URL(route.request().url());
    const letter = url.pathname.split('/').pop()!.slice(0, 1).toUpperCase();
    return route.fulfill({ contentType: 'image/svg+xml', body: picture(letter, Number(url.searchParams.get('hue') ?? 0)) });
  });
});

test('the delivered order suggests related, available products it does not hold, each linking to the shop', async ({ page }, info) => {
  await page.goto(link(ORDER));
  const section = page.getByRole('region', { name: 'You might also like' });
  await expect(section).toBeVisible();
  const links = section.getByRole('link');
  await expect(links).toHaveText(SHOWN);
  await expect(links.first()).toHaveAttribute('href', `${SHOP}/products/sock-mw-3`);
  await expect(section.getByText('Trailblaze 400 headlamp')).toHaveCount(0); // sold out
  await expect(section.getByText('Ridgeline two-person tent')).toHaveCount(0); // already in the order
  // Every picture loads (lazily, from the shop's image host) once the section is in view.
  await section.scrollIntoViewIfNeeded();
  await expect
    .poll(() => section.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0)))
    .toEqual([true, true, true]);
  await noSidewaysScroll(page);
  await expectNoAxeViolations(page);
  await page.screenshot({ path: info.outputPath(`related-${info.project.name}.png`), fullPage: true });
  await section.screenshot({ path: info.outputPath(`related-section-${info.project.name}.png`) });
});

test('right to left in Arabic, and the same without JavaScript', async ({ page, browser }, info) => {
  await page.goto(`${link(ORDER)}?lang=ar`);
  await expect(page.getByRole('region', { name: 'قد يعجبك أيضًا' }).getByRole('link')).toHaveText(SHOWN);
  await expectNoAxeViolations(page);
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const plain = await context.newPage();
  await plain.route(`${SHOP}/images/**`, (route) => route.fulfill({ contentType: 'image/svg+xml', body: picture('•', 200) }));
  await plain.goto(`${link(ORDER)}?lang=ar`);
  const section = plain.getByRole('region', { name: 'قد يعجبك أيضًا' });
  await expect(section.getByRole('link')).toHaveText(SHOWN);
  // The first suggestion sits on the right in a right-to-left page.
  const [first, second] = await section
    .getByRole('listitem')
    .evaluateAll((items) => items.slice(0, 2).map((li) => li.getBoundingClientRect().x));
  expect(first!).toBeGreaterThan(second!);
  await noSidewaysScroll(plain);
  await section.screenshot({ path: info.outputPath(`related-ar-${info.project.name}.png`) });
  await context.close();
});
