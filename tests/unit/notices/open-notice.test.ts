import { beforeEach, describe, expect, it } from 'vitest';
import { transaction } from '../../../src/server/db.ts';
import { clearNotices, openNotice, openNoticeKinds } from '../../../src/server/notices/open-notice.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { counts, newOrder, noticesOf, openKinds, world, type ManualClock } from './helpers.ts';

describe('openNotice, clearNotices, openNoticeKinds', () => {
  let store: Store;
  let clock: ManualClock;
  let orderId: string;
  let shipmentId: string;

  beforeEach(async () => {
    ({ store, clock } = await world('2026-11-20T15:00:00Z'));
    ({ orderId, shipmentId } = await newOrder(store, clock));
  });

  const openOne = (over: Partial<Parameters<typeof openNotice>[1]> = {}) =>
    transaction((tx) => openNotice(tx, { storeId: store.id, orderId, shipmentId, kind: 'late', now: clock.now(), ...over }));
  /** True when the notice was opened (new), false when the same one was open already. */
  const open = async (over: Partial<Parameters<typeof openNotice>[1]> = {}) => (await openOne(over)) !== null;

  it('answers the notice it opened, for the use case to tell the shopper; nothing when it was open', async () => {
    const n = await openOne({ kind: 'stalled' });
    expect(n).toEqual({
      id: (await noticesOf(shipmentId))[0]!.id,
      storeId: store.id,
      orderId,
      shipmentId,
      kind: 'stalled',
      now: clock.now(),
    });
    expect(await openOne({ kind: 'stalled' })).toBeNull();
  });

  it('records a notice once while it is open', async () => {
    expect(await open({ revisedDate: '2026-11-30' })).toBe(true);
    clock.advance(60_000);
    expect(await open({ revisedDate: '2026-12-01' })).toBe(false);
    const rows = await noticesOf(shipmentId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      storeId: store.id,
      orderId,
      shipmentId,
      scope: shipmentId,
      kind: 'late',
      revisedDate: '2026-11-30', // the first one stays as it was
      reason: null,
      needsPerson: false,
      openedAt: Date.parse('2026-11-20T15:00:00Z'),
      clearedAt: null,
    });
  });

  it('keeps kinds and scopes apart; an order-level notice is scoped to the order', async () => {
    expect(await open({ kind: 'late' })).toBe(true);
    expect(await open({ kind: 'stalled' })).toBe(true);
    expect(await open({ kind: 'exception', reason: 'failure/unknown', needsPerson: true })).toBe(true);
    expect(await open({ kind: 'delayed_dispatch', shipmentId: null })).toBe(true);
    expect(await open({ kind: 'delayed_dispatch', shipmentId: null })).toBe(false);
    expect(await openKinds(shipmentId)).toEqual(['exception', 'late', 'stalled']);
    expect(await openKinds(orderId)).toEqual(['delayed_dispatch']);
    expect((await noticesOf(orderId))[0]).toMatchObject({ shipmentId: null, scope: orderId });
    expect((await noticesOf(shipmentId)).find((n) => n.kind === 'exception')).toMatchObject({
      reason: 'failure/unknown',
      needsPerson: true,
    });
    expect(await transaction((tx) => openNoticeKinds(tx, shipmentId))).toEqual(new Set(['late', 'stalled', 'exception']));
  });

  it('clears only the kinds asked for, once, and lets the same kind open again afterwards', async () => {
    await open({ kind: 'late' });
    await open({ kind: 'stalled' });
    clock.advance(3_600_000);
    expect(await transaction((tx) => clearNotices(tx, shipmentId, ['stalled', 'not_scanned'], clock.now()))).toBe(1);
    expect(await transaction((tx) => clearNotices(tx, shipmentId, ['stalled'], clock.now() + 1))).toBe(0);
    expect(await transaction((tx) => clearNotices(tx, shipmentId, [], clock.now()))).toBe(0);
    expect(await openKinds(shipmentId)).toEqual(['late']);
    expect((await noticesOf(shipmentId)).find((n) => n.kind === 'stalled')!.clearedAt).toBe(Date.parse('2026-11-20T16:00:00Z'));

    clock.advance(3_600_000);
    expect(await open({ kind: 'stalled' })).toBe(true);
    expect((await noticesOf(shipmentId)).filter((n) => n.kind === 'stalled').map((n) => n.clearedAt)).toEqual([
      Date.parse('2026-11-20T16:00:00Z'),
      null,
    ]);
  });

  it('does not clear another scope’s notices', async () => {
    const other = await newOrder(store, clock, {
      shipments: [{ carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [{ sku: 'MUG', quantity: 1 }] }],
    });
    await open({ kind: 'late' });
    await transaction((tx) =>
      openNotice(tx, { storeId: store.id, orderId: other.orderId, shipmentId: other.shipmentId, kind: 'late', now: clock.now() }),
    );
    expect(await transaction((tx) => clearNotices(tx, other.shipmentId, ['late'], clock.now()))).toBe(1);
    expect(await openKinds(shipmentId)).toEqual(['late']);
    expect(await openKinds(other.shipmentId)).toEqual([]);
  });

  it('two writers opening the same notice at once record it once', async () => {
    const before = await counts();
    const results = await Promise.all([open(), open(), open()]);
    expect(results.sort()).toEqual([false, false, true]);
    expect((await counts()).notices).toBe(before.notices + 1);
  });
});
