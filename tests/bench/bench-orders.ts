// Orders of one parcel each, created through the merchant API of the running portal.
import type { Client } from './client.ts';
import type { BenchParcel } from './tracker-events.ts';

/** The demo store's merchant API key, from what the server printed at start. */
export function demoApiKey(output: string[]): string {
  const m = /Merchant API key for the demo store: (\S+)/.exec(output.join(''));
  if (!m || m[1]!.startsWith('(')) throw new Error('the server did not print the demo API key');
  return m[1]!;
}

/** Creates n orders with one FedEx parcel each (numbers prefix-1…n), `concurrency` at a time; returns the parcels. */
export async function createBenchOrders(client: Client, key: string, prefix: string, n: number, concurrency = 8): Promise<BenchParcel[]> {
  const parcels: BenchParcel[] = new Array(n);
  const placedAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const number = `${prefix}-${i + 1}`;
      const trackingCode = `${prefix}T${String(i + 1).padStart(5, '0')}`.toUpperCase();
      const body = JSON.stringify({
        number,
        email: `shopper${i + 1}@example.com`,
        customerName: `Bench Shopper ${i + 1}`,
        placedAt,
        currency: 'USD',
        locale: 'en-US',
        shippingAddress: {
          name: `Bench Shopper ${i + 1}`,
          street1: '1 Main St',
          city: 'Brooklyn',
          state: 'NY',
          postalCode: '11201',
          country: 'US',
        },
        items: [{ sku: 'BENCH-TEE', title: 'Bench tee', quantity: 1, unitAmount: 2500 }],
        shipments: [{ carrier: 'FedEx', trackingCode, service: 'FEDEX_GROUND', items: [{ sku: 'BENCH-TEE', quantity: 1 }] }],
      });
      const r = await client.request('POST', '/api/v1/orders', body, {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
      });
      if (r.status !== 201 && r.status !== 200) throw new Error(`creating order ${number}: ${r.status} ${r.body.slice(0, 300)}`);
      const json = JSON.parse(r.body) as { trackingUrl: string };
      parcels[i] = { number, trackingCode, trackerId: `trk_${trackingCode.toLowerCase()}`, pagePath: new URL(json.trackingUrl).pathname };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return parcels;
}

/** The status of the order's first parcel as the merchant API reports it. */
export async function parcelStatus(client: Client, key: string, number: string): Promise<string | null> {
  const r = await client.request('GET', `/api/v1/orders/${encodeURIComponent(number)}`, undefined, { authorization: `Bearer ${key}` });
  if (r.status !== 200) return null;
  return (JSON.parse(r.body) as { shipments: { status: string }[] }).shipments[0]?.status ?? null;
}
