// Helpers for the web-push journeys: a store without a carrier key (only the test's own signed
// webhooks move its parcels), orders through the merchant API, carrier events as EasyPost sends them.
import { signBody } from '../../src/emulator/index.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli } from './http.ts';
import type { TestServer } from './server.ts';

const PUSH_WEBHOOK_SECRET = 'push-journey-webhook-secret';

/** Creates a store; returns its API key. */
export function createPushStore(server: TestServer, slug: string, name: string): string {
  return cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', slug, '--name', name, '--webhook-secret', PUSH_WEBHOOK_SECRET])
    .apiKey;
}

/**
 * An order with one parcel (tracking code = code), placed just now: an order placed days ago with a
 * parcel not yet scanned would soon be late to ship, and that notice would join the journey.
 * Returns the order page's path and URL on this server.
 */
export async function createOrder(server: TestServer, key: string, number: string, code: string, over: Record<string, unknown> = {}) {
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({
      number,
      placedAt: new Date().toISOString(),
      shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }] }],
      ...over,
    }),
  );
  if (r.status !== 201) throw new Error(`order not created: ${r.status} ${r.text}`);
  const trackingUrl = r.json.trackingUrl as string;
  const path = new URL(trackingUrl).pathname;
  return { trackingUrl, path, url: server.url + path };
}

/** Sends a signed tracker.updated webhook for the parcel, `minutesAgo` before now. */
export async function carrierEvent(server: TestServer, slug: string, code: string, status: string, detail: string, minutesAgo = 0) {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const body = JSON.stringify({
    object: 'Event',
    id: `evt_${code}_${status}_${minutesAgo}`,
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
          message: `${status} (${detail})`,
          status,
          status_detail: detail,
          datetime: at,
          tracking_location: { city: 'Tacoma', state: 'WA', country: 'US', zip: null },
        },
      ],
    },
  });
  const r = await fetch(`${server.url}/api/webhooks/easypost/${slug}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, PUSH_WEBHOOK_SECRET) },
    body,
  });
  if (r.status !== 200) throw new Error(`webhook refused: ${r.status}`);
}

/** POSTs a subscription to the order's push route as the browser would (same origin). */
export function subscribe(server: TestServer, orderPath: string, subscription: unknown, method: 'POST' | 'DELETE' = 'POST') {
  return fetch(`${server.url}${orderPath}/push`, {
    method,
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify(subscription),
  });
}
