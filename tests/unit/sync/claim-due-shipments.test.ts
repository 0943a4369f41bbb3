import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { schema, transaction } from '../../../src/server/db.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { claimDueShipments, releaseShipment } from '../../../src/server/sync/claim-due-shipments.ts';
import { databaseNow, passLeaseTime } from '../../support/leases.ts';
import { newOrder, shipmentRow, world, type ManualClock } from '../notices/helpers.ts';

const T0 = Date.parse('2026-11-24T15:00:00Z');
const LEASE = 60_000;

describe('claimDueShipments and releaseShipment', () => {
  let store: Store;
  let clock: ManualClock;
  let ids: string[];
  const code = (i: number) => `9400${String(i).padStart(18, '0')}`;

  beforeEach(async () => {
    ({ store, clock } = await world('2026-11-24T15:00:00Z'));
    const o = await newOrder(store, clock, {
      items: [{ sku: 'MUG', title: 'Camp mug', quantity: 10, unitAmount: 1500 }],
      shipments: Array.from({ length: 5 }, (_, i) => ({ carrier: 'USPS', trackingCode: code(i), items: [{ sku: 'MUG', quantity: 1 }] })),
    });
    ids = o.shipmentIds;
    // Staggered due times: 0 and 1 are due now, 2 at T0 + 10 min, 3 never (settled), 4 at T0 − 1 h.
    const due = [T0, T0 - 1, T0 + 10 * 60_000, null, T0 - 3_600_000];
    for (const [i, id] of ids.entries())
      await transaction((tx) => tx.update(schema.shipments).set({ nextSyncAt: due[i] }).where(eq(schema.shipments.id, id)));
  });

  const claim = (owner: string, now: number, limit = 50) => claimDueShipments({ owner, now, limit, leaseMs: LEASE });
  const idsOf = (c: { id: string }[]) => c.map((x) => x.id).sort();
  /** The lease ends LEASE after the claim by the database's clock (what the worker's clock says does not matter). */
  async function expectLeased(id: string, owner: string, claimedFrom: number) {
    const row = await shipmentRow(id);
    expect(row.leaseOwner).toBe(owner);
    expect(row.leaseUntil).toBeGreaterThanOrEqual(claimedFrom + LEASE);
    expect(row.leaseUntil).toBeLessThanOrEqual((await databaseNow()) + LEASE);
  }

  it('claims only the due shipments, the longest-waiting first, with what the sync needs', async () => {
    const before = await databaseNow();
    const got = await claim('worker-a', T0);
    expect(idsOf(got)).toEqual([ids[0], ids[1], ids[4]].sort());
    expect(got.find((c) => c.id === ids[0])).toEqual({
      id: ids[0],
      storeId: store.id,
      trackingCode: code(0),
      carrier: 'USPS',
      trackerId: null,
      syncAttempts: 0,
    });
    for (const id of [ids[0], ids[1], ids[4]]) await expectLeased(id!, 'worker-a', before);
    for (const id of [ids[2], ids[3]]) expect(await shipmentRow(id!)).toMatchObject({ leaseOwner: null, leaseUntil: null });
  });

  it('takes at most `limit`, oldest due first', async () => {
    expect(idsOf(await claim('worker-a', T0, 2))).toEqual([ids[4], ids[1]].sort());
    expect(idsOf(await claim('worker-a', T0, 2))).toEqual([ids[0]]);
    expect(await claim('worker-a', T0, 2)).toEqual([]);
  });

  it('two owners never get the same shipment', async () => {
    const [a, b] = await Promise.all([claim('worker-a', T0), claim('worker-b', T0)]);
    expect(idsOf([...a, ...b])).toEqual([ids[0], ids[1], ids[4]].sort());
    expect(a.length * b.length).toBe(0); // one took the lot, the other nothing
    // while the leases run, nobody else gets them, whatever that worker's clock says: a worker
    // half an hour ahead gets only shipment 2, which has fallen due by its clock
    await passLeaseTime(LEASE - 5_000);
    expect(idsOf(await claim('worker-c', T0 + 30 * LEASE))).toEqual([ids[2]]);
  });

  it('many small claims at once hand out each due shipment exactly once', async () => {
    const all = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((w) => claim(w, T0, 1)));
    expect(idsOf(all.flat())).toEqual([ids[0], ids[1], ids[4]].sort());
    expect(all.filter((c) => c.length === 1)).toHaveLength(3);
  });

  it('a lease that ran out (by the database’s clock) can be claimed by another owner, even one whose clock is behind', async () => {
    await claim('worker-a', T0);
    expect(await claim('worker-b', T0 + 2 * LEASE)).toEqual([]); // a worker clock ahead takes nothing over
    await passLeaseTime(LEASE + 1);
    const before = await databaseNow();
    const got = await claim('worker-b', T0);
    expect(idsOf(got)).toEqual([ids[0], ids[1], ids[4]].sort());
    await expectLeased(ids[0]!, 'worker-b', before);
  });

  it('release ends the lease with the outcome; only the owner holding it can release', async () => {
    await claim('worker-a', T0);
    await releaseShipment({ id: ids[0]!, owner: 'worker-b', nextSyncAt: T0 + 99, attempts: 7, error: 'not mine' });
    expect(await shipmentRow(ids[0]!)).toMatchObject({
      leaseOwner: 'worker-a',
      nextSyncAt: T0,
      syncAttempts: 0,
      lastSyncError: null,
    });

    await releaseShipment({ id: ids[0]!, owner: 'worker-a', nextSyncAt: T0 + 4 * 3_600_000, attempts: 0, error: null });
    expect(await shipmentRow(ids[0]!)).toMatchObject({
      leaseOwner: null,
      leaseUntil: null,
      nextSyncAt: T0 + 4 * 3_600_000,
      syncAttempts: 0,
      lastSyncError: null,
    });

    await releaseShipment({ id: ids[1]!, owner: 'worker-a', nextSyncAt: T0 + 45_000, attempts: 2, error: 'EasyPost answered 429' });
    expect(await shipmentRow(ids[1]!)).toMatchObject({
      leaseOwner: null,
      nextSyncAt: T0 + 45_000,
      syncAttempts: 2,
      lastSyncError: 'EasyPost answered 429',
    });

    await releaseShipment({ id: ids[4]!, owner: 'worker-a', nextSyncAt: null, attempts: 0, error: null });
    expect(await shipmentRow(ids[4]!)).toMatchObject({ leaseOwner: null, nextSyncAt: null });
    // settled: never claimed again
    expect(idsOf(await claim('worker-b', T0 + 365 * 86_400_000))).toEqual([ids[1], ids[2], ids[0]].sort());
  });

  it('an owner whose lease ran out and was taken over cannot release the new owner’s lease', async () => {
    await claim('worker-a', T0);
    await passLeaseTime(LEASE + 1);
    await claim('worker-b', T0);
    const leaseOfB = (await shipmentRow(ids[0]!)).leaseUntil;
    await releaseShipment({ id: ids[0]!, owner: 'worker-a', nextSyncAt: T0 + 6 * 3_600_000, attempts: 1, error: 'late answer' });
    expect(await shipmentRow(ids[0]!)).toMatchObject({
      leaseOwner: 'worker-b',
      leaseUntil: leaseOfB,
      nextSyncAt: T0,
      syncAttempts: 0,
      lastSyncError: null,
    });
  });

  it('an owner paused past its lease records nothing, even before anyone took the shipment over', async () => {
    await claim('worker-a', T0);
    await passLeaseTime(LEASE + 1);
    await releaseShipment({ id: ids[0]!, owner: 'worker-a', nextSyncAt: T0 + 6 * 3_600_000, attempts: 3, error: 'late answer' });
    expect(await shipmentRow(ids[0]!)).toMatchObject({ leaseOwner: 'worker-a', nextSyncAt: T0, syncAttempts: 0, lastSyncError: null });
    // The shipment is still due, so the next claim syncs it again.
    expect(idsOf(await claim('worker-b', T0))).toEqual([ids[0], ids[1], ids[4]].sort());
  });

  it('a released shipment is due again at its new time, and only then', async () => {
    await claim('worker-a', T0);
    await releaseShipment({ id: ids[0]!, owner: 'worker-a', nextSyncAt: T0 + 30 * 60_000, attempts: 0, error: null });
    await passLeaseTime(30 * 60_000);
    // (the other two leases ran out long ago, and shipment 2 fell due meanwhile)
    expect(idsOf(await claim('worker-b', T0 + 30 * 60_000 - 1))).toEqual([ids[1], ids[2], ids[4]].sort());
    expect(idsOf(await claim('worker-b', T0 + 30 * 60_000))).toEqual([ids[0]]);
  });

  it('a new shipment is due at once, for the tracker to be created', async () => {
    const o = await newOrder(store, clock, {
      shipments: [{ carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [{ sku: 'MUG', quantity: 1 }] }],
    });
    expect((await shipmentRow(o.shipmentId)).nextSyncAt).toBe(clock.now());
    expect((await claim('worker-a', clock.now())).map((c) => c.id)).toContain(o.shipmentId);
  });
});
