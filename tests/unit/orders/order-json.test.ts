import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { config } from '../../../src/server/config.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { getOrderByToken } from '../../../src/server/orders/get-order-by-token.ts';
import { orderPageUrl, toOrderJson } from '../../../src/server/orders/order-json.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

describe('toOrderJson', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    await freshDatabase();
    clock = manualClock('2026-11-21T10:00:00Z');
    store = (await makeStore({}, clock)).store;
    await upsertOrder({ storeId: store.id, body: orderBody(), clock });
  });

  it('uses WAYPOST_PUBLIC_URL from the environment', () => {
    expect(config().publicUrl).toBe('https://track.example.test');
  });

  it('gives an absolute tracking link that opens the order', async () => {
    const view = (await getOrderByNumber(store, '1001', clock))!;
    const json = toOrderJson(view, store, config().publicUrl);
    const prefix = `https://track.example.test/${store.slug}/t/`;
    expect(json.trackingUrl.startsWith(prefix)).toBe(true);
    const token = json.trackingUrl.slice(prefix.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect((await getOrderByToken(store, token, clock))?.id).toBe(view.id);
    expect(json.shipments[0]!.trackingUrl).toBe(`${json.trackingUrl}#parcel-9400100000000000000001`);
  });

  it('lists the order as the API documents it', async () => {
    const view = (await getOrderByNumber(store, '1001', clock))!;
    const json = toOrderJson(view, store, config().publicUrl);
    expect(json).toEqual({
      number: '1001',
      email: 'ann@example.com',
      customerName: 'Ann Lee',
      placedAt: '2026-11-20T14:03:00.000Z',
      currency: 'USD',
      locale: 'en-US',
      timeZone: 'UTC',
      marketingConsent: false,
      shippingAddress: { name: 'Ann Lee', street1: '1 Main St', city: 'Portland', state: 'OR', postalCode: '97201', country: 'US' },
      trackingUrl: orderPageUrl('https://track.example.test', store, view.token),
      items: [
        {
          sku: 'TENT-2P',
          productId: 'TENT-2P',
          title: 'Two-person tent',
          variant: 'Green',
          quantity: 1,
          unitAmount: 24900,
          imageUrl: null,
          category: 'camping',
          finalSale: false,
        },
        {
          sku: 'MUG',
          productId: 'MUG',
          title: 'Camp mug',
          variant: null,
          quantity: 2,
          unitAmount: 1500,
          imageUrl: null,
          category: null,
          finalSale: false,
        },
      ],
      unshippedItems: [{ sku: 'MUG', quantity: 2 }],
      shipments: [
        {
          carrier: 'USPS',
          trackingCode: '9400100000000000000001',
          service: null,
          status: 'unknown',
          statusDetail: null,
          milestone: 'shipped',
          exception: null,
          estimatedDelivery: { date: '2026-11-25', source: 'store', revised: false },
          promisedDeliveryDate: '2026-11-25',
          deliveredAt: null,
          carrierTrackingUrl: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000001',
          trackingUrl: `${orderPageUrl('https://track.example.test', store, view.token)}#parcel-9400100000000000000001`,
          items: [{ sku: 'TENT-2P', quantity: 1 }],
        },
      ],
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:00:00.000Z',
    });
  });
});
