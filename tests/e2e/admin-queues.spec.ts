// The merchant's queues: a staff member works a shopper's problem report from open to resolved
// (with JavaScript off), the at-risk queue shows the demo's late and exception parcels with the
// shopper's view one click away, the pages pass axe, and another store's case is a 404.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { LIVE_OWNER } from '../support/e2e-global-setup.ts';

const base = () => process.env.E2E_BASE_URL!;
const link = (label: string) => (JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>)[label]!;
const STAFF = { email: 'staff@northwind.example', password: 'basecamp-demo-2026' };

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${base()}/admin/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

/** A section link of the back office's navigation. */
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name, exact: true });

async function expectNoAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });

  test('staff works a shopper’s report: assign to self, in progress, a note, resolved', async ({ page }, info) => {
    // The shopper reports a crushed box on the first parcel of the split order.
    const words = `Box crushed (${info.project.name} ${Date.now()})`;
    await page.goto(link('Split across two parcels'));
    await page.getByText('Something wrong with this parcel?').first().click();
    await page.getByLabel('It arrived damaged').first().check();
    await page.getByLabel('Tell the store more').first().fill(words);
    await page.getByRole('button', { name: 'Send to the store' }).first().click();
    await expect(page.getByText('Thank you, your report reached Northwind Outfitters')).toBeVisible();

    await signIn(page, STAFF);
    await nav(page, 'Cases').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cases');
    await page
      .getByRole('row', { name: new RegExp(words.replace(/[()]/g, '\\$&')) })
      .getByRole('link', { name: /Damaged on order #1008/ })
      .click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case on order #1008');
    await expect(page.locator('.message')).toHaveText(words);
    await expect(page.getByRole('heading', { name: /Parcel 1 of 2: USPS/ })).toBeVisible();

    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect(page.getByRole('status')).toHaveText('The assignment was saved.');
    await expect(page.locator('.facts')).toContainText('Me (staff@northwind.example)');
    await page.getByRole('button', { name: 'Mark in progress' }).click();
    await expect(page.getByRole('status')).toHaveText('The case is in progress.');
    await page.getByLabel(/Add an internal note/).fill('Replacement tent sent today.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(page.getByRole('status')).toHaveText('Your note was added.');
    await page.getByRole('button', { name: 'Mark resolved' }).click();
    await expect(page.getByRole('status')).toHaveText('The case is resolved.');
    const history = page.locator('.history');
    await expect(history).toContainText('assigned it to staff@northwind.example');
    await expect(history).toContainText('changed the status from open to in progress');
    await expect(history).toContainText('Replacement tent sent today.');
    await expect(history).toContainText('changed the status from in progress to resolved');
    await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();

    // The note stays internal, and the resolved report no longer shows on the shopper's page.
    await page.goto(link('Split across two parcels'));
    await expect(page.locator('body')).not.toContainText('Replacement tent sent today.');
    await expect(page.getByText('You reported that the parcel arrived damaged')).toHaveCount(0);
  });
});

test('the at-risk queue lists the late and exception parcels, one click from the shopper’s view', async ({ page }) => {
  await signIn(page, STAFF);
  await nav(page, 'At-risk parcels').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('At-risk parcels');
  const late = page.getByRole('row', { name: /#1006/ });
  await expect(late).toContainText('Late');
  await expect(late).toContainText('9400111899560000000006');
  await expect(late).toContainText(/Your parcel is running .*late/);
  const exception = page.getByRole('row', { name: /#1007/ });
  await expect(exception).toContainText('The carrier could not find the delivery address');
  await expect(exception).toContainText('794699999007');
  await expect(exception.getByRole('link', { name: /Case \(.+\) for order #1007/ })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel('Problem', { exact: true }).selectOption('exception');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/kind=exception/);
  await expect(page.getByRole('row', { name: /#1006/ })).toHaveCount(0);
  const shopperLink = page.getByRole('link', { name: /Shopper’s view of order #1007/ });
  await expect(shopperLink).toHaveAttribute('target', '_blank');
  const [shopper] = await Promise.all([page.waitForEvent('popup'), shopperLink.click()]);
  await expect(shopper.getByText('The carrier could not find the delivery address')).toBeVisible();

  await page.getByLabel('Order number').fill('#1006');
  await page.getByLabel('Problem', { exact: true }).selectOption('');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('row', { name: /#1006/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /#1007/ })).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the cases queue and a case page pass axe, light and dark, and fit a phone', async ({ page }, info) => {
  await signIn(page, STAFF);
  await nav(page, 'Cases').click();
  await page.getByLabel('Status').selectOption('all');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=all/);
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: /Delivery failed on order #1007/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case on order #1007');
  await expect(page.getByText('Delivery exception: incorrect address')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Notices to the shopper' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoAxeViolations(page);
  await page.goto(`${base()}/admin/shipments`);
  await expectNoAxeViolations(page);
  await page.emulateMedia({ colorScheme: 'light' });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: info.outputPath('case.png'), fullPage: true });
});

test('another store’s case is a 404, its id no way in', async ({ page }, info) => {
  // The live store gets a case of its own, through its API and its shopper's problem report.
  const key = process.env.E2E_LIVE_KEY!;
  const code = `QUEUE${info.project.name.toUpperCase()}${Date.now()}`;
  const created = await fetch(`${base()}/api/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      number: code,
      email: 'lee@example.com',
      customerName: 'Lee Park',
      placedAt: new Date(Date.now() - 86_400_000).toISOString(),
      currency: 'USD',
      shippingAddress: { name: 'Lee Park', street1: '9 Elm St', city: 'Tacoma', state: 'WA', postalCode: '98402', country: 'US' },
      items: [{ sku: 'KETTLE', title: 'Camp kettle', quantity: 1, unitAmount: 4500 }],
      shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'KETTLE', quantity: 1 }] }],
    }),
  });
  expect(created.status).toBe(201);
  const { trackingUrl } = (await created.json()) as { trackingUrl: string };
  const reported = await fetch(`${base()}${new URL(trackingUrl).pathname}/problem`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base() },
    body: new URLSearchParams({ shipment: code, kind: 'missing_item', message: 'Lid missing' }),
    redirect: 'manual',
  });
  expect(reported.status).toBe(303);
  const listed = (await (await fetch(`${base()}/api/v1/cases?status=open`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
    cases: { id: string; trackingCode: string }[];
  };
  const theirs = listed.cases.find((c) => c.trackingCode === code)!;

  await signIn(page, STAFF);
  const response = await page.goto(`${base()}/admin/cases/${theirs.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Case not found');
  const forged = await page.request.post(`${base()}/admin/cases/${theirs.id}`, {
    form: { action: 'status', status: 'resolved' },
    headers: { origin: base() },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(404);
  await page.goto(`${base()}/admin/cases`);
  await expect(page.locator('body')).not.toContainText(code);

  // The live store's own owner opens it: the id was real all along, and still open.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signIn(page, LIVE_OWNER);
  expect((await page.goto(`${base()}/admin/cases/${theirs.id}`))?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Case on order #${code}`);
  await expect(page.locator('.badge').first()).toHaveText('Open');
});
