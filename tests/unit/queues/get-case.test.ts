import { beforeEach, describe, expect, it } from 'vitest';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { assignCase } from '../../../src/server/queues/assign-case.ts';
import { changeCaseStatus } from '../../../src/server/queues/change-case-status.ts';
import { getCase } from '../../../src/server/queues/get-case.ts';
import { summarizeQueues } from '../../../src/server/queues/summarize-queues.ts';
import { apply, casesOf, event, snap } from '../notices/helpers.ts';
import { queueScenario, report, staffOf, T } from './scenario.ts';

const PUBLIC = 'https://track.example.test';
let w: Awaited<ReturnType<typeof queueScenario>>;
beforeEach(async () => {
  w = await queueScenario();
});
const get = (caseId: string, store = w.store) => getCase({ store, caseId, publicUrl: PUBLIC, now: w.clock.now() });

describe('getCase', () => {
  it('gives the case with the order’s timeline: parcels and events newest first, notices, other cases', async () => {
    const exception = (await casesOf(w.x.orderId))[0]!.id;
    w.clock.advance(60_000);
    const report1 = await report(w.store, w.clock, 'X1', 'FX0001', 'not_received', 'Where is it?');
    // The parcel moves again: the exception notice clears but stays in the order's story.
    w.clock.advance(60_000);
    await apply(w.store, w.clock, w.x.shipmentId, snap('in_transit', [event(w.clock.now() - 1000, 'in_transit', 'Address corrected')]));
    const d = (await get(exception))!;
    expect(d).toMatchObject({
      id: exception,
      kind: 'delivery_failed',
      source: 'exception',
      status: 'open',
      shipmentId: w.x.shipmentId,
      assignee: null,
    });
    expect(d.message).toContain('failure/address_not_found');
    expect(d.order.number).toBe('X1');
    expect(d.orderUrl).toBe(`${PUBLIC}/${w.store.slug}/t/${(await getOrderByNumber(w.store, 'X1', w.clock))!.token}`);
    expect(d.order.shipments[0]!.events.map((e) => e.message)).toEqual([
      'Address corrected',
      'Delivery exception: incorrect address',
      'Picked up',
    ]);
    expect(d.notices).toEqual([
      {
        id: expect.any(String),
        kind: 'exception',
        reason: 'failure/address_not_found',
        openedAt: T.exception,
        clearedAt: w.clock.now(),
        trackingCode: 'FX0001',
        says: null,
      },
    ]);
    expect(d.otherCases).toEqual([
      {
        id: report1,
        kind: 'not_received',
        source: 'problem_report',
        status: 'open',
        createdAt: T.dispatch + 3_660_000,
        trackingCode: 'FX0001',
      },
    ]);
  });

  it('words an open notice as the shopper reads it', async () => {
    const d = (await get((await casesOf(w.x.orderId))[0]!.id))!;
    expect(d.notices[0]!.says).toMatchObject({ tone: 'bad', title: 'The carrier could not find the delivery address' });
  });

  it('another store’s case, or an unknown id, is null', async () => {
    expect(await get((await casesOf(w.other.orderId))[0]!.id)).toBeNull();
    expect(await get((await casesOf(w.x.orderId))[0]!.id, w.other.store)).toBeNull();
    expect(await get('no-such-case')).toBeNull();
  });
});

describe('summarizeQueues', () => {
  it('counts the store’s open notices by kind and its cases waiting, mine and unassigned', async () => {
    const sam = await staffOf(w.store, 'Sam', w.clock.now());
    const damaged = await report(w.store, w.clock, 'W4', 'UP0004', 'damaged', 'Crushed');
    const wrong = await report(w.store, w.clock, 'W4', 'UP0004', 'wrong_item', 'Blue');
    await assignCase({ storeId: w.store.id, caseId: damaged, assigneeUserId: sam.id, actor: sam.actor, now: w.clock.now() });
    await changeCaseStatus({ storeId: w.store.id, caseId: damaged, status: 'in_progress', actor: sam.actor, now: w.clock.now() });
    await changeCaseStatus({ storeId: w.store.id, caseId: wrong, status: 'resolved', actor: sam.actor, now: w.clock.now() });
    expect(await summarizeQueues({ storeId: w.store.id, userId: sam.id })).toEqual({
      atRisk: { late: 1, stalled: 0, not_scanned: 1, exception: 1, delayed_dispatch: 1, total: 4 },
      cases: { open: 1, inProgress: 1, unassigned: 1, mine: 1 },
    });
    expect(await summarizeQueues({ storeId: w.other.store.id, userId: sam.id })).toEqual({
      atRisk: { late: 0, stalled: 0, not_scanned: 0, exception: 1, delayed_dispatch: 0, total: 1 },
      cases: { open: 1, inProgress: 0, unassigned: 1, mine: 0 },
    });
  });
});
