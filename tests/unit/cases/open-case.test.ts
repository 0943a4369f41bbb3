import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { openCase, type CaseKind } from '../../../src/server/cases/open-case.ts';
import { schema, transaction } from '../../../src/server/db.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { apply, casesOf, event, newOrder, snap, world, type ManualClock } from '../notices/helpers.ts';

describe('openCase', () => {
  let store: Store;
  let clock: ManualClock;
  let orderId: string;
  let shipmentId: string;

  beforeEach(async () => {
    ({ store, clock } = await world('2026-11-24T15:00:00Z'));
    ({ orderId, shipmentId } = await newOrder(store, clock));
  });

  const open = (
    kind: CaseKind,
    message: string | null,
    over: { source?: 'exception' | 'problem_report'; shipmentId?: string | null } = {},
  ) =>
    transaction((tx) =>
      openCase(tx, {
        storeId: store.id,
        orderId,
        shipmentId,
        source: over.source ?? 'problem_report',
        kind,
        message,
        now: clock.now(),
        ...over,
      }),
    );

  it('opens a case with everything a person needs', async () => {
    const r = await open('missing_item', 'The mugs were not in the box');
    expect(r.created).toBe(true);
    expect(await casesOf(orderId)).toEqual([
      {
        id: r.id,
        storeId: store.id,
        orderId,
        shipmentId,
        source: 'problem_report',
        kind: 'missing_item',
        message: 'The mugs were not in the box',
        status: 'open',
        dedupeKey: `${shipmentId}:missing_item`,
        assigneeUserId: null,
        registrationId: null,
        resolvedAt: null,
        createdAt: Date.parse('2026-11-24T15:00:00Z'),
        updatedAt: Date.parse('2026-11-24T15:00:00Z'),
      },
    ]);
  });

  it('keeps one open case per parcel and kind; a second report adds its message with the time', async () => {
    const first = await open('missing_item', 'The mugs were not in the box');
    clock.set('2026-11-25T09:30:00Z');
    const second = await open('missing_item', 'Still nothing, two mugs missing');
    expect(second).toEqual({ id: first.id, created: false });
    const [c] = await casesOf(orderId);
    expect(await casesOf(orderId)).toHaveLength(1);
    expect(c!.message).toBe('The mugs were not in the box\n\n— 2026-11-25T09:30:00.000Z\nStill nothing, two mugs missing');
    expect(c!.createdAt).toBe(Date.parse('2026-11-24T15:00:00Z'));
    expect(c!.updatedAt).toBe(Date.parse('2026-11-25T09:30:00Z'));
  });

  it('the same words again, or no words, change nothing', async () => {
    await open('damaged', 'Box crushed');
    const before = await casesOf(orderId);
    clock.advance(60_000);
    expect((await open('damaged', 'Box crushed')).created).toBe(false);
    expect((await open('damaged', null)).created).toBe(false);
    expect(await casesOf(orderId)).toEqual(before);
  });

  it('a first report without words takes the words of a later one as they are', async () => {
    await open('not_received', null);
    clock.advance(60_000);
    await open('not_received', 'Tracking says delivered but nothing here');
    expect((await casesOf(orderId))[0]!.message).toBe('Tracking says delivered but nothing here');
  });

  it('different kinds, parcels or an order-level case are separate cases', async () => {
    const other = await newOrder(store, clock, {
      shipments: [{ carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [{ sku: 'MUG', quantity: 1 }] }],
    });
    await open('damaged', 'a');
    await open('wrong_item', 'b');
    await open('damaged', 'c', { shipmentId: null });
    await transaction((tx) =>
      openCase(tx, {
        storeId: store.id,
        orderId: other.orderId,
        shipmentId: other.shipmentId,
        source: 'problem_report',
        kind: 'damaged',
        message: 'd',
        now: clock.now(),
      }),
    );
    expect((await casesOf(orderId)).map((c) => [c.kind, c.shipmentId, c.message]).sort()).toEqual([
      ['damaged', null, 'c'],
      ['damaged', shipmentId, 'a'],
      ['wrong_item', shipmentId, 'b'],
    ]);
    expect((await casesOf(other.orderId)).map((c) => c.message)).toEqual(['d']);
  });

  it('once the case is resolved, a new report opens a new case', async () => {
    const first = await open('damaged', 'Box crushed');
    await transaction((tx) => tx.update(schema.cases).set({ status: 'resolved' }).where(eq(schema.cases.id, first.id)));
    clock.advance(60_000);
    const second = await open('damaged', 'The replacement is crushed too');
    expect(second.created).toBe(true);
    expect(second.id).not.toBe(first.id);
    expect((await casesOf(orderId)).map((c) => [c.status, c.message])).toEqual([
      ['resolved', 'Box crushed'],
      ['open', 'The replacement is crushed too'],
    ]);
  });

  it('a case in progress still takes the next report', async () => {
    const first = await open('damaged', 'Box crushed');
    await transaction((tx) => tx.update(schema.cases).set({ status: 'in_progress' }).where(eq(schema.cases.id, first.id)));
    expect(await open('damaged', 'Photo attached')).toEqual({ id: first.id, created: false });
    expect(await casesOf(orderId)).toHaveLength(1);
  });

  it('two writers at once end with one case holding both messages', async () => {
    const [a, b] = await Promise.all([open('missing_item', 'first'), open('missing_item', 'second')]);
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect((await casesOf(orderId))[0]!.message).toMatch(/^first\n\n— .+\nsecond$/);
  });

  it('a carrier exception and a shopper report of the same parcel and kind share one open case', async () => {
    // The carrier reports the parcel damaged (a case opens for a person), then the shopper reports it too.
    await apply(
      store,
      clock,
      shipmentId,
      snap('in_transit', [event('2026-11-24T14:00:00Z', 'in_transit', 'Damaged in handling')], { statusDetail: 'damaged' }),
    );
    expect((await casesOf(orderId)).map((c) => [c.source, c.kind])).toEqual([['exception', 'damaged']]);
    clock.advance(60_000);
    await open('damaged', 'The box arrived crushed');
    const open_ = (await casesOf(orderId)).filter((c) => c.status !== 'resolved' && c.kind === 'damaged' && c.shipmentId === shipmentId);
    expect(open_).toHaveLength(1);
    expect(open_[0]!.message).toContain('The box arrived crushed');
  });
});
