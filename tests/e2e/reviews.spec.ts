// Reviews end to end in Chromium: a shopper rates two items of last week's delivery with
// JavaScript on (keyboard on the star radio group) and again with it off (an edit), staff
// publish one, reject one for a content reason and reply publicly, and axe finds nothing.
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { recordPageChange } from '../../src/server/pagecache/record-change.ts';

const base = () => process.env.E2E_BASE_URL!;
const link = (label: string) => (JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>)[label]!;
const ORDER = 'Delivered last week (ready for a review)';
const STAFF = { email: 'staff@northwind.example', password: 'basecamp-demo-2026' };
const BOOTS = 'How is your Switchback hiking boots?';
const TENT = 'How is your Ridgeline two-person tent?';

async function expectNoAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function signIn(page: Page) {
  await page.goto(`${base()}/admin/login`);
  await page.getByLabel('Email').fill(STAFF.email);
  await page.getByLabel('Password').fill(STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

test.describe.configure({ mode: 'serial' });

// Each project (phone, desktop) starts from an order nobody has reviewed yet; the change feed
// tells the server to drop its cached order page.
test.beforeAll(async () => {
  useDatabase(join(process.env.E2E_DATA_DIR!, 'waypost.db'));
  const order = (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.number, '1040'))))!;
  await transaction(async (tx) => {
    await tx.delete(schema.reviews).where(eq(schema.reviews.orderId, order.id));
    await recordPageChange(tx, order.storeId, order.id, Date.now());
  });
  await new Promise((r) => setTimeout(r, 500)); // the server reads the feed every 150 ms
});

test('the order page invites a review, and the shopper rates two items with the keyboard', async ({ page }) => {
  await page.goto(link(ORDER));
  await page.getByRole('link', { name: 'How is your Switchback hiking boots?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Review your items');
  await expect(page.getByLabel('Your name as shown with the review')).toHaveValue('Rosa D.');

  // Boots: Tab into the group and move with the arrow keys, as a keyboard user would.
  const boots = page.getByRole('group', { name: BOOTS });
  await boots.getByRole('radio', { name: /^1 star/ }).focus();
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(boots.getByRole('radio', { name: /^4 stars/ })).toBeChecked();
  await page.getByLabel('Title').first().fill('Comfortable from day one');
  await page.getByLabel('Your review').first().fill('Walked 20 km the first weekend, no blisters.');

  const tent = page.getByRole('group', { name: TENT });
  await tent.getByRole('radio', { name: /^2 stars/ }).check();
  await page.getByLabel('Your review').nth(1).fill('One pole arrived broken.');
  await page.getByRole('button', { name: 'Send review' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your review');
  await expect(page.getByRole('status')).toContainText('Someone from Northwind Outfitters will be in touch');
  await expect(page.getByText(/Your review will be published on/).first()).toBeVisible();
  await expectNoAxeViolations(page);
  // The pending tab with these reviews in it, while JavaScript is on for axe.
  await signIn(page);
  await page.goto(`${base()}/admin/reviews`);
  await expect(page.getByRole('article').filter({ hasText: 'One pole arrived broken.' }).first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('the shopper edits both ratings by the same link', async ({ page }) => {
    await page.goto(`${link(ORDER)}/review`);
    const boots = page.getByRole('group', { name: BOOTS });
    await expect(boots.getByRole('radio', { name: /^4 stars/ })).toBeChecked();
    await boots.getByRole('radio', { name: /^5 stars/ }).check();
    await page
      .getByRole('group', { name: TENT })
      .getByRole('radio', { name: /^3 stars/ })
      .check();
    await page.getByLabel('Your name as shown with the review').fill('Rosa from Seattle');
    await page.getByRole('button', { name: 'Send review' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your review');
    await expect(page.getByRole('group', { name: BOOTS }).getByRole('radio', { name: /^5 stars/ })).toBeChecked();
  });

  test('a review with a link is refused with a clear message and nothing changes', async ({ page }) => {
    await page.goto(`${link(ORDER)}/review`);
    await page.getByLabel('Your review').first().fill('Cheaper at www.boots.example');
    await page.getByRole('button', { name: 'Send review' }).click();
    await expect(page.getByRole('alert')).toContainText('The review could not be saved');
    await expect(page.getByText('Please leave out web links')).toBeVisible();
  });

  test('staff publish one, reject one for a content reason, and reply', async ({ page }) => {
    await signIn(page);
    await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Reviews', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reviews');
    const bootsCard = page.getByRole('article').filter({ hasText: 'Switchback hiking boots' }).filter({ hasText: 'Rosa from Seattle' });
    const tentCard = page.getByRole('article').filter({ hasText: 'Ridgeline two-person tent' }).filter({ hasText: 'Rosa from Seattle' });
    await expect(tentCard.getByRole('link', { name: 'case opened' })).toBeVisible();

    await bootsCard.getByRole('button', { name: 'Publish' }).click();
    await expect(page.getByRole('status')).toHaveText('Review published.');

    // Reject needs a reason from the list: the browser will not send the form without one.
    await tentCard.getByLabel('Reject because').selectOption('not_about_product');
    await tentCard.getByRole('button', { name: 'Reject' }).click();
    await expect(page.getByRole('status')).toHaveText('Review rejected; the reason is in the audit log.');

    await page.getByRole('link', { name: /^Published/ }).click();
    const published = page.getByRole('article').filter({ hasText: 'Rosa from Seattle' }).filter({ hasText: 'Switchback hiking boots' });
    await published.getByLabel('Public reply from the store').fill('Thank you, Rosa. Happy trails!');
    await published.getByRole('button', { name: 'Reply' }).click();
    await expect(page.getByRole('status')).toHaveText('Reply saved.');
    await expect(page.getByRole('article').filter({ hasText: 'Your public reply: Thank you, Rosa. Happy trails!' }).first()).toBeVisible();

    await page.getByRole('link', { name: /^Rejected/ }).click();
    await expect(page.getByRole('article').filter({ hasText: 'Rosa from Seattle' }).first()).toContainText(
      'rejected: Not about the product',
    );

    // The export, with the session's cookie: every review with where it came from.
    const exported = await (await page.request.get(`${base()}/admin/reviews/export.json`)).json();
    const rosa = exported.reviews.filter((x: { author: string }) => x.author === 'Rosa from Seattle');
    expect(rosa.map((x: { status: string }) => x.status).sort()).toEqual(['published', 'rejected']);
    expect(rosa[0].verification).toMatchObject({ verifiedBuyer: true, orderNumber: '1040', invitedFrom: 'delivery' });

    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByText('review.rejected').first()).toBeVisible();
  });

  test('the shopper sees what happened, and the public reviews show the reply', async ({ page }) => {
    await page.goto(`${link(ORDER)}/review`);
    await expect(page.getByText('Your review is published.')).toBeVisible();
    await expect(page.getByText(/Your review was not published: not about the product/)).toBeVisible();
    await page.goto(`${base()}/demo/reviews`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('How we collect and check reviews');
    await expect(page.getByText(/published 2 days after they are written, whatever their rating/)).toBeVisible();
    await page.goto(`${base()}/demo/reviews/BOOT-HK-42`);
    await expect(page.getByText('Thank you, Rosa. Happy trails!').first()).toBeVisible();
    await expect(page.getByText('Rosa from Seattle · Verified buyer').first()).toBeVisible();
  });
});

// axe runs in the page, so these checks have JavaScript on; the pages themselves ship none.
test('axe finds nothing on the review pages and the back office’s tabs, light and dark; no sideways scroll', async ({ page }, info) => {
  const shopper = [link(ORDER), `${link(ORDER)}/review`, `${base()}/demo/reviews`];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const url of shopper) {
      await page.goto(url);
      await expectNoAxeViolations(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, url).toBeLessThanOrEqual(0);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${link(ORDER)}/review`);
  await page.screenshot({ path: info.outputPath(`review-${info.project.name}.png`), fullPage: true });
  await signIn(page);
  for (const tab of ['pending', 'published', 'rejected']) {
    await page.goto(`${base()}/admin/reviews?status=${tab}`);
    await expectNoAxeViolations(page);
  }
});
