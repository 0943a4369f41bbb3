import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { getOrderPage } from '../../../src/server/order-page/get-order-page.ts';
import { translator } from '../../../src/server/i18n/translator.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

describe('getOrderPage', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    await freshDatabase();
    clock = manualClock('2026-11-21T10:00:00Z');
    store = (await makeStore({}, clock)).store;
    await upsertOrder({ storeId: store.id, body: orderBody(), clock });
  });

  it('reads everything the order page shows: headline, pending items, parcels in words, returns, reviewables, push key', async () => {
    const order = (await getOrderByNumber(store, '1001', clock))!;
    const page = await getOrderPage({ store, order, words: translator('en', { orderLocale: order.locale }), now: clock.now() });
    expect(page).toMatchObject({
      placedOn: 'Friday, November 20',
      headline: 'Label created',
      returns: { list: [], canStart: false, explain: false },
      reviewables: [],
    });
    expect(page.pushKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(page.pending?.items.map((i) => [i.sku, i.count])).toEqual([['MUG', 2]]);
    expect(page.parcels).toHaveLength(1);
    const [parcel] = page.parcels;
    expect(parcel).toMatchObject({ index: 1, total: 1, showEstimate: true, notices: [], reports: [] });
    expect(parcel!.estimate).toMatchObject({ lead: 'Arriving', date: 'Wednesday, November 25' });
    expect(parcel!.eventCount).toBe(order.shipments[0]!.events.length);
  });
});
