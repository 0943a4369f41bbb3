import { beforeEach, describe, expect, it } from 'vitest';
import { PROBLEM_KINDS, reportProblem } from '../../../src/server/cases/report-problem.ts';
import { AppError } from '../../../src/server/errors.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import type { OrderView } from '../../../src/server/orders/load-order.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { casesOf, counts, newOrder, world, type ManualClock } from '../notices/helpers.ts';

const CODE_A = '9400100000000000000001';
const CODE_B = '1Z999AA10123456784';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('reportProblem', () => {
  let store: Store;
  let clock: ManualClock;
  let order: OrderView;

  beforeEach(async () => {
    ({ store, clock } = await world('2026-11-27T15:00:00Z'));
    const o = await newOrder(store, clock, {
      shipments: [
        { carrier: 'USPS', trackingCode: CODE_A, items: [{ sku: 'TENT-2P', quantity: 1 }] },
        { carrier: 'UPS', trackingCode: CODE_B, items: [{ sku: 'MUG', quantity: 2 }] },
      ],
    });
    order = (await getOrderByNumber(store, String(o.body.number), clock))!;
  });

  const report = (input: unknown) => reportProblem({ order, input, now: clock.now() });

  it.each(PROBLEM_KINDS)('opens a %s case on the chosen parcel and records a page change', async (kind) => {
    const before = await counts();
    const r = await report({ shipment: CODE_B, kind, message: '  Only one mug in the box.  ' });
    const parcel = order.shipments.find((s) => s.trackingCode === CODE_B)!;
    expect(r.trackingCode).toBe(CODE_B);
    expect(await casesOf(order.id)).toEqual([
      expect.objectContaining({
        id: r.caseId,
        storeId: store.id,
        shipmentId: parcel.id,
        source: 'problem_report',
        kind,
        message: 'Only one mug in the box.',
        status: 'open',
        createdAt: clock.now(),
      }),
    ]);
    expect(await counts()).toEqual({ ...before, cases: before.cases + 1, pageChanges: before.pageChanges + 1 });
  });

  it('takes a form post as strings, with the message optional', async () => {
    const r = await report({ shipment: ` ${CODE_A} `, kind: 'not_received' });
    expect(r.trackingCode).toBe(CODE_A);
    expect((await casesOf(order.id))[0]).toMatchObject({ kind: 'not_received', message: null });
    await report({ shipment: CODE_A, kind: 'damaged', message: '   ' });
    expect((await casesOf(order.id)).find((c) => c.kind === 'damaged')!.message).toBeNull();
  });

  it('a second report of the same parcel and kind adds to the open case', async () => {
    const first = await report({ shipment: CODE_B, kind: 'missing_item', message: 'One mug missing.' });
    clock.set('2026-11-28T10:00:00Z');
    const second = await report({ shipment: CODE_B, kind: 'missing_item', message: 'Still only one mug.' });
    expect(second.caseId).toBe(first.caseId);
    expect(await casesOf(order.id)).toHaveLength(1);
    expect((await casesOf(order.id))[0]!.message).toBe('One mug missing.\n\n— 2026-11-28T10:00:00.000Z\nStill only one mug.');
  });

  it('accepts a message of exactly 2,000 characters', async () => {
    await report({ shipment: CODE_A, kind: 'damaged', message: 'x'.repeat(2000) });
    expect((await casesOf(order.id))[0]!.message).toHaveLength(2000);
  });

  const refused: [string, unknown, string][] = [
    ['a tracking code of another order', { shipment: '9400100000000000000999', kind: 'damaged', message: 'x' }, '/shipment'],
    ['a tracking code in the wrong case', { shipment: CODE_B.toLowerCase(), kind: 'damaged' }, '/shipment'],
    ['no parcel', { shipment: '   ', kind: 'damaged' }, '/shipment'],
    ['a missing parcel', { kind: 'damaged' }, '/shipment'],
    ['an unknown kind', { shipment: CODE_A, kind: 'late' }, '/kind'],
    ['a carrier-only kind', { shipment: CODE_A, kind: 'lost' }, '/kind'],
    ['no kind', { shipment: CODE_A }, '/kind'],
    ['a 2,001-character message', { shipment: CODE_A, kind: 'damaged', message: 'x'.repeat(2001) }, '/message'],
    ['a message that is not text', { shipment: CODE_A, kind: 'damaged', message: 42 }, '/message'],
    ['not an object', 'damaged', '/'],
  ];

  it.each(refused)('refuses %s as invalid, pointing at the field, and writes nothing', async (_name, input, pointer) => {
    const before = { counts: await counts(), cases: await casesOf(order.id) };
    const err = await refusal(report(input));
    expect(err.kind).toBe('invalid');
    expect(err.status).toBe(422);
    expect(err.errors.map((e) => e.pointer)).toContain(pointer);
    for (const e of err.errors) expect(e.detail.length).toBeGreaterThan(0);
    expect(await counts()).toEqual(before.counts);
    expect(await casesOf(order.id)).toEqual(before.cases);
  });

  it('a parcel of another order of the same store is not part of this order', async () => {
    const other = await newOrder(store, clock, {
      shipments: [{ carrier: 'USPS', trackingCode: '9400100000000000000777', items: [{ sku: 'MUG', quantity: 1 }] }],
    });
    const before = await counts();
    const err = await refusal(report({ shipment: '9400100000000000000777', kind: 'damaged' }));
    expect(err.kind).toBe('invalid');
    expect(err.errors).toEqual([{ pointer: '/shipment', detail: 'not a parcel of this order' }]);
    expect(await counts()).toEqual(before);
    expect(await casesOf(other.orderId)).toEqual([]);
  });

  it('an order view that claims another store’s parcel finds nothing to write to', async () => {
    const forged: OrderView = { ...order, storeId: 'another-store' };
    const before = await counts();
    const err = await refusal(reportProblem({ order: forged, input: { shipment: CODE_A, kind: 'damaged' }, now: clock.now() }));
    expect(err.kind).toBe('not_found');
    expect(await counts()).toEqual(before);
  });
});
