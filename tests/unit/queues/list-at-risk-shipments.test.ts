import { beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/server/errors.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { changeCaseStatus } from '../../../src/server/queues/change-case-status.ts';
import { listAtRiskCarriers } from '../../../src/server/queues/list-at-risk-carriers.ts';
import { listAtRiskShipments, type AtRiskRow } from '../../../src/server/queues/list-at-risk-shipments.ts';
import { apply, casesOf, event, snap } from '../notices/helpers.ts';
import { queueScenario, T } from './scenario.ts';

const PUBLIC = 'https://track.example.test';
let w: Awaited<ReturnType<typeof queueScenario>>;
beforeEach(async () => {
  w = await queueScenario();
});

const list = (query: Record<string, string> = {}) => listAtRiskShipments({ store: w.store, query, publicUrl: PUBLIC, now: w.clock.now() });
const brief = (rows: AtRiskRow[]) => rows.map((r) => [r.order.number, r.kind, r.shipment?.trackingCode ?? null]);
const ALL = [
  ['Z3', 'delayed_dispatch', null],
  ['Y2', 'not_scanned', 'US0002'],
  ['W4', 'late', 'UP0004'],
  ['X1', 'exception', 'FX0001'],
];

describe('listAtRiskShipments', () => {
  it('lists the store’s open notices, newest problem first, never another store’s', async () => {
    const { rows, nextCursor } = await list();
    expect(brief(rows)).toEqual(ALL);
    expect(rows.map((r) => r.openedAt)).toEqual([T.dispatch, T.notScanned, T.late, T.exception]);
    expect(nextCursor).toBeNull();
    expect(JSON.stringify(rows)).not.toContain('DH9999');
  });

  it('says what the shopper is told, links the shopper’s view and the open case', async () => {
    const { rows } = await list();
    const x = rows.find((r) => r.order.number === 'X1')!;
    const token = (await getOrderByNumber(w.store, 'X1', w.clock))!.token;
    const [theCase] = await casesOf(w.x.orderId);
    expect(x).toMatchObject({
      kind: 'exception',
      reason: 'failure/address_not_found',
      needsPerson: true,
      order: { number: 'X1', customerName: 'Xena Park', url: `${PUBLIC}/${w.store.slug}/t/${token}#parcel-FX0001` },
      shipment: { carrier: 'FedEx', carrierName: 'FedEx', trackingCode: 'FX0001', status: 'failure' },
      says: { tone: 'bad', title: 'The carrier could not find the delivery address' },
      openCase: { id: theCase!.id, kind: 'delivery_failed', status: 'open' },
    });
    const z = rows.find((r) => r.order.number === 'Z3')!;
    expect(z.shipment).toBeNull();
    expect(z.order.url).toBe(`${PUBLIC}/${w.store.slug}/t/${(await getOrderByNumber(w.store, 'Z3', w.clock))!.token}`);
    expect(z.says.title).toBe('Taking longer than usual to ship');
    expect(rows.find((r) => r.order.number === 'W4')!.says.title).toMatch(/^Your parcel is running .*late$/);
    expect(rows.find((r) => r.order.number === 'Y2')!.openCase).toBeNull();
  });

  it('drops the case link once the case is resolved, and the row once the notice clears', async () => {
    const [theCase] = await casesOf(w.x.orderId);
    await changeCaseStatus({
      storeId: w.store.id,
      caseId: theCase!.id,
      status: 'resolved',
      actor: { userId: null, label: 'test' },
      now: w.clock.now(),
    });
    expect((await list({ kind: 'exception' })).rows[0]!.openCase).toBeNull();
    // The parcel moves again: the exception notice clears and the parcel leaves the queue.
    await apply(
      w.store,
      w.clock,
      w.x.shipmentId,
      snap('in_transit', [event(w.clock.now() - 60_000, 'in_transit', 'Address corrected, on its way')]),
    );
    expect(brief((await list()).rows).map((r) => r[0])).not.toContain('X1');
  });

  it('filters by kind, carrier and order number (with #, spaces, any case, or its start)', async () => {
    expect(brief((await list({ kind: 'exception' })).rows)).toEqual([ALL[3]]);
    expect(brief((await list({ kind: 'delayed_dispatch' })).rows)).toEqual([ALL[0]]);
    expect(brief((await list({ carrier: 'UPS' })).rows)).toEqual([ALL[2]]);
    expect(brief((await list({ q: ' #w4 ' })).rows)).toEqual([ALL[2]]);
    expect(brief((await list({ q: 'y' })).rows)).toEqual([ALL[1]]);
    expect((await list({ kind: 'late', carrier: 'FedEx' })).rows).toEqual([]);
    expect((await list({ carrier: 'DHL' })).rows).toEqual([]); // the other store's carrier
    expect(brief((await list({ kind: '', carrier: '', q: '' })).rows)).toEqual(ALL); // "Any" options
  });

  it('pages with an opaque cursor, without repeats or gaps when a newer problem arrives', async () => {
    const first = await list({ limit: '3' });
    expect(brief(first.rows)).toEqual(ALL.slice(0, 3));
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    // A new exception while the first page is open belongs on page one, not page two.
    w.clock.advance(60_000);
    await apply(w.store, w.clock, w.y.shipmentId, snap('return_to_sender', [event(w.clock.now() - 1000, 'return_to_sender', 'Returned')]));
    const second = await list({ limit: '3', cursor: first.nextCursor! });
    expect(brief(second.rows)).toEqual([ALL[3]]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses bad filters with pointers', async () => {
    const err = await list({ kind: 'lost', cursor: 'not-ours', limit: '500' }).catch((e: unknown) => e);
    expect(isAppError(err, 'invalid')).toBe(true);
    expect((err as { errors: { pointer: string }[] }).errors.map((e) => e.pointer).sort()).toEqual(['/cursor', '/kind', '/limit']);
  });
});

describe('listAtRiskCarriers', () => {
  it('offers the carriers of the store’s at-risk parcels only', async () => {
    expect(await listAtRiskCarriers(w.store.id)).toEqual([
      { code: 'FedEx', name: 'FedEx' },
      { code: 'UPS', name: 'UPS' },
      { code: 'USPS', name: 'USPS' },
    ]);
    expect(await listAtRiskCarriers(w.other.store.id)).toEqual([{ code: 'DHL', name: 'DHL' }]);
  });
});
