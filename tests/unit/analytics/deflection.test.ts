// Deflection: order-page visits counted per order and day in memory, flushed in one transaction,
// against cases opened within 48 hours after a visit (hand-computed).
import { beforeEach, describe, expect, it } from 'vitest';
import { readAnalyticsQuery } from '../../../src/server/analytics/analytics-query.ts';
import { countOrderPageView, flushPageViews } from '../../../src/server/analytics/count-page-view.ts';
import { readDeflection } from '../../../src/server/analytics/deflection-figures.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { openCase } from '../../../src/server/cases/open-case.ts';
import { db, schema, transaction } from '../../../src/server/db.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

const H = 3_600_000;
const T = (iso: string) => Date.parse(iso);

describe('deflection', () => {
  beforeEach(() => freshDatabase());

  it('counts visits per order and day, and contacts only within 48 h after a visit', async () => {
    const { store } = await makeStore();
    const { store: other } = await makeStore();
    const ids: string[] = [];
    for (const number of ['1', '2', '3', '4']) {
      const { orderId } = await upsertOrder({ storeId: store.id, body: orderBody({ number, shipments: [] }) });
      ids.push(orderId);
    }
    const [a, b, c, d] = ids as [string, string, string, string];
    // a: viewed twice on the 24th (08:00, 20:00) → a case at 19:00 on the 26th is 47 h after the last view: contacted.
    countOrderPageView(store.id, a, T('2026-11-24T08:00:00Z'));
    countOrderPageView(store.id, a, T('2026-11-24T20:00:00Z'));
    // b: viewed on the 24th at 08:00, case 49 h later: not within 48 h.
    countOrderPageView(store.id, b, T('2026-11-24T08:00:00Z'));
    // c: viewed on the 25th at 12:00, case 2 h before the view: not after a visit.
    countOrderPageView(store.id, c, T('2026-11-25T12:00:00Z'));
    // d: never viewed, has a case: not in the figure at all. Another store's visit to a never counts here.
    countOrderPageView(other.id, a, T('2026-11-24T09:00:00Z'));
    expect(await flushPageViews()).toBe(4);
    countOrderPageView(store.id, a, T('2026-11-24T21:00:00Z')); // a later batch adds to the same day's row
    expect(await flushPageViews()).toBe(1);
    await transaction(async (tx) => {
      const open = (orderId: string, now: number) =>
        openCase(tx, { storeId: store.id, orderId, shipmentId: null, source: 'problem_report', kind: 'not_received', message: null, now });
      await open(a, T('2026-11-26T19:00:00Z'));
      await open(b, T('2026-11-24T08:00:00Z') + 49 * H);
      await open(c, T('2026-11-25T10:00:00Z'));
      await open(d, T('2026-11-25T10:00:00Z'));
    });
    const rows = await db().select().from(schema.orderPageViews);
    expect(rows.find((r) => r.orderId === a && r.storeId === store.id)).toMatchObject({
      views: 3,
      firstAt: T('2026-11-24T08:00:00Z'),
      lastAt: T('2026-11-24T21:00:00Z'),
    });
    const q = readAnalyticsQuery(new URLSearchParams('from=2026-11-24&to=2026-11-26'), { now: T('2026-12-01T00:00:00Z'), timeZone: 'UTC' });
    // Visits 3 + 1 + 1 = 5 over 3 orders; contacted: a only → deflection (3 − 1) / 3 = 66.7%.
    expect(await readDeflection(store.id, q)).toEqual({ visits: 5, visitedOrders: 3, contactedOrders: 1, deflectionPercent: 66.7 });
    expect(await readDeflection(other.id, q)).toEqual({ visits: 1, visitedOrders: 1, contactedOrders: 0, deflectionPercent: 100 });
  });
});
