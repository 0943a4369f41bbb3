// Carrier news reaching the shopper: a page left open updates itself, delays are told, and a
// problem report is acknowledged with what happens next.
import { expect, test } from '@playwright/test';
import { signBody } from '../../src/emulator/index.ts';
import { LIVE_SECRET } from '../support/e2e-global-setup.ts';

const base = () => process.env.E2E_BASE_URL!;
const link = (label: string) => (JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>)[label]!;

async function tracker(code: string, status: string, detail: string, message: string, minutesAgo: number) {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const body = JSON.stringify({
    object: 'Event',
    id: `evt_${code}_${status}`,
    description: 'tracker.updated',
    result: {
      id: `trk_${code}`,
      object: 'Tracker',
      tracking_code: code,
      status,
      status_detail: detail,
      updated_at: at,
      tracking_details: [
        {
          object: 'TrackingDetail',
          message,
          status,
          status_detail: detail,
          datetime: at,
          tracking_location: { city: 'Tacoma', state: 'WA', country: 'US', zip: null },
        },
      ],
    },
  });
  const r = await fetch(`${base()}/api/webhooks/easypost/live`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, LIVE_SECRET) },
    body,
  });
  expect(r.status).toBe(200);
}

test('an open order page changes from "In transit" to "Out for delivery" by itself', async ({ page }, info) => {
  const code = `LIVE${info.project.name.toUpperCase()}${Date.now()}`;
  const created = await fetch(`${base()}/api/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.E2E_LIVE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      number: code,
      email: 'sam@example.com',
      customerName: 'Sam Rivera',
      placedAt: new Date(Date.now() - 86_400_000).toISOString(),
      currency: 'USD',
      shippingAddress: { name: 'Sam Rivera', street1: '9 Elm St', city: 'Tacoma', state: 'WA', postalCode: '98402', country: 'US' },
      items: [{ sku: 'KETTLE', title: 'Camp kettle', quantity: 1, unitAmount: 4500 }],
      shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'KETTLE', quantity: 1 }] }],
    }),
  });
  expect(created.status).toBe(201);
  const { trackingUrl } = (await created.json()) as { trackingUrl: string };
  await tracker(code, 'in_transit', 'arrived_at_facility', 'Arrived at USPS regional facility', 60);
  await page.goto(trackingUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('In transit');

  await tracker(code, 'out_for_delivery', 'out_for_delivery', 'Out for delivery', 1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Out for delivery', { timeout: 5_000 });
  await expect(page.getByText('This page was just updated with the latest tracking.')).toBeVisible();
  await expect(page.locator('[aria-current="step"]')).toContainText('Out for delivery');
});

test('a late parcel says so, with the new estimate', async ({ page }) => {
  await page.goto(link('Late (past its promised date)'));
  const notice = page.locator('.notice.warn');
  await expect(notice).toContainText(/Your parcel is running (a day|two days|three days)? ?late/);
  await expect(notice).toContainText('New estimate:');
});

test('a shopper reports a problem and is told what happens next', async ({ page }) => {
  await page.goto(link('Delivered'));
  await page.getByText('Something wrong with this parcel?').click();
  await page.getByLabel('An item is missing').check();
  await page.getByLabel('Tell the store more').fill('The socks were not in the box.');
  await page.getByRole('button', { name: 'Send to the store' }).click();
  await expect(page.getByText('Thank you, your report reached Northwind Outfitters')).toBeVisible();
  await expect(page.getByText('A member of their team will look into it')).toBeVisible();
  await page.goto(link('Delivered'));
  await expect(page.getByText('You reported that an item was missing')).toBeVisible();
});
