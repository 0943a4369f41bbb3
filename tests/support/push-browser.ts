// Helpers for the web-push journeys in Chromium (tests/e2e/push.spec.ts): a stand-in for the push
// service headless Chromium lacks, orders and signed carrier webhooks for the e2e "live" store, and
// a look at the e2e server's database.
import { expect, type BrowserContext } from '@playwright/test';
import { asc, eq } from 'drizzle-orm';
import { join } from 'node:path';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { signBody } from '../../src/emulator/index.ts';
import { LIVE_SECRET } from './e2e-global-setup.ts';

/**
 * Stands in for the browser's push service: PushManager.subscribe() answers a subscription with a
 * real P-256 key (WebCrypto) and auth secret at 127.0.0.1:9, a host the e2e server allows.
 */
export async function fakePushManager(context: BrowserContext) {
  await context.addInitScript(() => {
    const wrap = (j: { endpoint: string; keys: Record<string, string> }) => ({
      endpoint: j.endpoint,
      expirationTime: null,
      options: { applicationServerKey: null, userVisibleOnly: true },
      toJSON: () => ({ endpoint: j.endpoint, expirationTime: null, keys: j.keys }),
      unsubscribe: async () => (localStorage.removeItem('e2e-push-sub'), true),
    });
    const b64 = (b: ArrayBuffer) =>
      btoa(String.fromCharCode(...new Uint8Array(b)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    PushManager.prototype.subscribe = async function () {
      const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
      const p256dh = b64(await crypto.subtle.exportKey('raw', pair.publicKey));
      const j = {
        endpoint: `http://127.0.0.1:9/push/e2e-${crypto.randomUUID()}`,
        keys: { p256dh, auth: b64(crypto.getRandomValues(new Uint8Array(16)).buffer) },
      };
      localStorage.setItem('e2e-push-sub', JSON.stringify(j));
      return wrap(j) as unknown as PushSubscription;
    };
    PushManager.prototype.getSubscription = async function () {
      const j = localStorage.getItem('e2e-push-sub');
      return j ? (wrap(JSON.parse(j)) as unknown as PushSubscription) : null;
    };
  });
}

/** A signed carrier webhook for the e2e "live" store (see carrier-updates.spec.ts). */
export async function liveTracker(code: string, status: string) {
  const at = new Date().toISOString();
  const body = JSON.stringify({
    object: 'Event',
    id: `evt_${code}_${status}`,
    description: 'tracker.updated',
    result: {
      id: `trk_${code}`,
      object: 'Tracker',
      tracking_code: code,
      status,
      status_detail: status,
      updated_at: at,
      tracking_details: [
        { object: 'TrackingDetail', message: status, status, status_detail: status, datetime: at, tracking_location: { city: 'Tacoma' } },
      ],
    },
  });
  const r = await fetch(`${process.env.E2E_BASE_URL}/api/webhooks/easypost/live`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, LIVE_SECRET) },
    body,
  });
  expect(r.status).toBe(200);
}

/** A fresh order in the e2e "live" store (no carrier key: only the test's webhooks move it). */
export async function newLiveOrder(project: string) {
  const code = `PUSHE2E${project.toUpperCase()}${Date.now()}`;
  const created = await fetch(`${process.env.E2E_BASE_URL}/api/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.E2E_LIVE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      number: code,
      email: 'kim@example.com',
      customerName: 'Kim Park',
      placedAt: new Date(Date.now() - 86_400_000).toISOString(),
      currency: 'USD',
      shippingAddress: { name: 'Kim Park', street1: '9 Elm St', city: 'Tacoma', state: 'WA', postalCode: '98402', country: 'US' },
      items: [{ sku: 'KETTLE', title: 'Camp kettle', quantity: 1, unitAmount: 4500 }],
      shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'KETTLE', quantity: 1 }] }],
    }),
  });
  expect(created.status).toBe(201);
  return { code, trackingUrl: ((await created.json()) as { trackingUrl: string }).trackingUrl };
}

let openedE2eDatabase = false;
/** The e2e server's database, read through the portal's own client (committed data only). */
function e2eDb() {
  if (!openedE2eDatabase) useDatabase(join(process.env.E2E_DATA_DIR!, 'waypost.db'));
  openedE2eDatabase = true;
  return db();
}

/** The kinds of notification queued for the order of the parcel with this tracking code, oldest first. */
export async function outboxKindsOf(trackingCode: string): Promise<string[]> {
  const o = schema.notificationOutbox;
  const rows = await e2eDb()
    .select({ kind: o.kind })
    .from(o)
    .innerJoin(schema.shipments, eq(schema.shipments.orderId, o.orderId))
    .where(eq(schema.shipments.trackingCode, trackingCode))
    .orderBy(asc(o.createdAt));
  return rows.map((r) => r.kind);
}

/** The push endpoints following the order of the parcel with this tracking code. */
export async function endpointsOf(trackingCode: string): Promise<string[]> {
  const p = schema.pushSubscriptions;
  const rows = await e2eDb()
    .select({ endpoint: p.endpoint })
    .from(p)
    .innerJoin(schema.shipments, eq(schema.shipments.orderId, p.orderId))
    .where(eq(schema.shipments.trackingCode, trackingCode));
  return rows.map((r) => r.endpoint);
}
