// Returns in Chromium on a phone: a shopper returns one of two items for store credit and downloads
// the label, with and without JavaScript; staff approve, receive and close a return; axe finds
// nothing on the flow's pages. Each project gets its own store, whose outbound parcels are
// delivered by the test's own signed webhooks; labels are bought from the server's EasyPost emulator.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signBody } from '../../src/emulator/index.ts';
import { cli } from '../support/http.ts';

const base = () => process.env.E2E_BASE_URL!;
const SECRET = 'returns-e2e-webhook-secret';
const STAFF = { password: 'returns-staff-password-2026' };

/** The project's store (created once): EasyPost key, webhook secret, return address, a staff account. */
async function storeFor(project: string): Promise<{ slug: string; key: string; staff: string }> {
  const slug = `ret-${project}`;
  const staff = `staff-${project}@returns.example`;
  // Kept beside the server's data: a retried or restarted worker finds the store it made.
  const saved = join(process.env.E2E_DATA_DIR!, `${slug}.key`);
  if (!existsSync(saved)) {
    const { apiKey } = cli<{ apiKey: string }>(process.env.E2E_DATA_DIR!, [
      'stores:create',
      '--slug',
      slug,
      '--name',
      'Trail Supply',
      '--easypost-key',
      'EZAK_returns_e2e',
      '--webhook-secret',
      SECRET,
    ]);
    cli(process.env.E2E_DATA_DIR!, ['users:create', '--store', slug, '--email', staff, '--role', 'staff'], {
      WAYPOST_PASSWORD: STAFF.password,
    });
    const r = await api(apiKey, 'PATCH', '/api/v1/store', {
      returnAddress: {
        name: 'Trail Supply Returns',
        street1: '1 Dock Rd',
        city: 'Portland',
        state: 'OR',
        postalCode: '97209',
        country: 'US',
      },
      policies: { returns: { resolutions: { storeCreditBonusPercent: 10 } } },
    });
    expect(r.status).toBe(200);
    writeFileSync(saved, apiKey);
  }
  return { slug, key: readFileSync(saved, 'utf8'), staff };
}

async function api(key: string, method: string, path: string, body?: unknown) {
  return fetch(`${base()}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** An order of a tent and a mug, delivered yesterday (a signed carrier webhook); returns its page URL. */
async function deliveredOrder(slug: string, key: string, tag: string): Promise<string> {
  const code = `RET${tag}${Date.now()}`;
  const created = await api(key, 'POST', '/api/v1/orders', {
    number: code,
    email: 'ann@example.com',
    customerName: 'Ann Lee',
    placedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
    currency: 'USD',
    shippingAddress: { name: 'Ann Lee', street1: '1 Main St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
    items: [
      { sku: 'TENT', title: 'Ridgeline tent', quantity: 1, unitAmount: 24900 },
      { sku: 'MUG', title: 'Titanium mug', quantity: 1, unitAmount: 2900 },
    ],
    shipments: [
      {
        carrier: 'USPS',
        trackingCode: code,
        items: [
          { sku: 'TENT', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ],
      },
    ],
  });
  expect(created.status).toBe(201);
  const { trackingUrl } = (await created.json()) as { trackingUrl: string };
  const at = new Date(Date.now() - 86_400_000).toISOString();
  // updated_at ahead of any poll the sync job may make, so the delivery is the newest news.
  const body = JSON.stringify({
    object: 'Event',
    id: `evt_${code}`,
    description: 'tracker.updated',
    result: {
      id: `trk_${code}`,
      object: 'Tracker',
      tracking_code: code,
      status: 'delivered',
      status_detail: 'arrived_at_destination',
      updated_at: new Date(Date.now() + 3_600_000).toISOString(),
      tracking_details: [
        {
          object: 'TrackingDetail',
          message: 'Delivered',
          status: 'delivered',
          status_detail: 'arrived_at_destination',
          datetime: at,
          tracking_location: { city: 'Seattle', state: 'WA', country: 'US', zip: null },
        },
      ],
    },
  });
  const hook = await fetch(`${base()}/api/webhooks/easypost/${slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, SECRET) },
    body,
  });
  expect(hook.status).toBe(200);
  return trackingUrl.replace(/^https?:\/\/[^/]+/, base());
}

async function axe(page: Page, what: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await axeOnce(page, `${what} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function axeOnce(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(result.violations.map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The shopper's journey: one of two items back for store credit, then the label downloaded. */
async function returnMug(page: Page, orderUrl: string, checkAxe: boolean) {
  await page.goto(orderUrl);
  await page.getByRole('link', { name: 'Start a return' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Start a return');
  await expect(page.locator('[aria-current="step"]')).toContainText('Choose items');
  if (checkAxe) await axe(page, 'step 1');
  // Continue without a reason: the error sits by the field.
  await page.getByLabel('How many to return').nth(1).selectOption('1');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Choose a reason.')).toBeVisible();
  if (checkAxe) await axe(page, 'step 1 with errors');
  await page.getByLabel('Reason', { exact: true }).nth(1).selectOption('changed_mind');
  await page.getByLabel(/Store credit/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('[aria-current="step"]')).toContainText('Review');
  await expect(page.getByText('1 × Titanium mug')).toBeVisible();
  await expect(page.getByText('$31.90')).toBeVisible(); // $29.00 + 10% bonus
  await expect(page.getByText('Your store credit is issued when your parcel reaches the store.')).toBeVisible();
  if (checkAxe) await axe(page, 'step 2');
  await page.getByRole('button', { name: 'Confirm return' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your return label is ready', { timeout: 15_000 });
  if (checkAxe) await axe(page, 'return page');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download label (PDF)' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^return-.*label\.pdf$/);
  await page.getByRole('link', { name: 'Back to your order' }).click();
  await expect(page.getByText('Return of 1 × Titanium mug')).toBeVisible();
}

test('a shopper returns one of two items for store credit and downloads the label', async ({ page }, info) => {
  const { slug, key } = await storeFor(info.project.name);
  await returnMug(page, await deliveredOrder(slug, key, 'JS'), true);
});

test.describe('with JavaScript off', () => {
  test.use({ javaScriptEnabled: false });
  test('the same return works without any script', async ({ page }, info) => {
    const { slug, key } = await storeFor(info.project.name);
    await returnMug(page, await deliveredOrder(slug, key, 'NOJS'), false);
  });
});

test('staff approve, receive and close a return the store reviews first', async ({ page }, info) => {
  const { slug, key, staff } = await storeFor(info.project.name);
  expect(
    (await api(key, 'PATCH', '/api/v1/store', { policies: { returns: { approval: 'review', refundReleasedOn: 'inspected' } } })).status,
  ).toBe(200);
  try {
    const orderUrl = await deliveredOrder(slug, key, 'STAFF');
    await page.goto(`${orderUrl}/returns/new`);
    await page.getByLabel('How many to return').first().selectOption('1');
    await page.getByLabel('Reason', { exact: true }).first().selectOption('too_small');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Confirm return' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('The store is reviewing your return');
    const shopperPage = page.url();

    await page.goto(`${base()}/admin/login`);
    await page.getByLabel('Email').fill(staff);
    await page.getByLabel('Password').fill(STAFF.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    // The request is also a case; beside it, the order's returns link to the return.
    await page.goto(`${base()}/admin/cases?kind=return_review`);
    await page
      .getByRole('link', { name: /Return to approve on order #RETSTAFF/ })
      .first()
      .click();
    const returnsOfOrder = page.getByRole('region', { name: 'Returns of this order' });
    await expect(returnsOfOrder.getByRole('link', { name: /1 × Ridgeline tent/ })).toBeVisible();
    await page.goto(`${base()}/admin/returns`);
    await expect(page.getByText('Needs review')).toBeVisible();
    await axe(page, 'admin returns queue');
    await page
      .getByRole('link', { name: /Order #RETSTAFF/ })
      .first()
      .click();
    await axe(page, 'admin return');
    await page.getByRole('button', { name: 'Approve and send the label' }).click();
    await expect(page.getByText('Saved: Approved.')).toBeVisible();
    // The returns job buys the label within a few seconds.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole('button', { name: 'Mark received' })).toBeVisible();
    }).toPass({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Mark received' }).click();
    await expect(page.getByText('Saved: Received.')).toBeVisible();
    await page.getByLabel(/Note/).fill('Checked: unworn');
    await page.getByRole('button', { name: 'Record outcome: Refunded' }).click();
    await expect(page.getByText('Nothing left to do: this return is closed.')).toBeVisible();
    await expect(page.getByText(new RegExp(`Approved\\s*by ${staff}`))).toBeVisible();
    await page.goto(`${base()}/admin/returns/report`);
    await expect(page.getByRole('cell', { name: /Ridgeline tent/ })).toBeVisible();
    await axe(page, 'reasons report');

    await page.goto(shopperPage);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Refunded');
    await expect(page.getByText('Your refund has been released.')).toBeVisible();
  } finally {
    await api(key, 'PATCH', '/api/v1/store', { policies: { returns: { approval: 'auto', refundReleasedOn: 'delivered' } } });
  }
});
