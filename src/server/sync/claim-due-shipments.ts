// Work is held in the database under leases: a worker claims due shipments for a while; if it
// dies, the lease runs out and another worker (or the restarted one) picks them up. Two workers
// never hold the same shipment at once, because the claim is one conditional UPDATE. The lease
// runs on the database's clock (leases.ts); `now`, the caller's clock, says what is due.
import { and, asc, eq, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { schema, skipLocked, transaction } from '../db.ts';
import { leaseExpired, leaseHeldBy, leaseUntilIn } from '../leases.ts';

export interface Claimed {
  id: string;
  storeId: string;
  trackingCode: string;
  carrier: string;
  trackerId: string | null;
  syncAttempts: number;
}

/** Claims up to `limit` due shipments for `owner` for the next leaseMs. */
export async function claimDueShipments(opts: { owner: string; now: number; limit: number; leaseMs: number }): Promise<Claimed[]> {
  const { owner, now, limit, leaseMs } = opts;
  const s = schema.shipments;
  return transaction(async (tx) => {
    const due = (
      await skipLocked(
        tx
          .select({ id: s.id })
          .from(s)
          .where(and(isNotNull(s.nextSyncAt), lte(s.nextSyncAt, now), or(isNull(s.leaseUntil), leaseExpired(s.leaseUntil))))
          .orderBy(asc(s.nextSyncAt))
          .limit(limit),
      )
    ).map((r) => r.id);
    if (due.length === 0) return [];
    return await tx
      .update(s)
      .set({ leaseOwner: owner, leaseUntil: leaseUntilIn(leaseMs) })
      .where(and(inArray(s.id, due), or(isNull(s.leaseUntil), leaseExpired(s.leaseUntil))))
      .returning({
        id: s.id,
        storeId: s.storeId,
        trackingCode: s.trackingCode,
        carrier: s.carrier,
        trackerId: s.trackerId,
        syncAttempts: s.syncAttempts,
      });
  });
}

/**
 * Ends a lease with the outcome: when to look again, and the error if the call failed. Only while
 * the lease is still the owner's: a worker paused past it leaves the shipment to whoever took it
 * (or to the next claim), which syncs it again.
 */
export async function releaseShipment(opts: {
  id: string;
  owner: string;
  nextSyncAt: number | null;
  attempts: number;
  error: string | null;
}): Promise<void> {
  const s = schema.shipments;
  await transaction((tx) =>
    tx
      .update(s)
      .set({ leaseOwner: null, leaseUntil: null, nextSyncAt: opts.nextSyncAt, syncAttempts: opts.attempts, lastSyncError: opts.error })
      .where(and(eq(s.id, opts.id), leaseHeldBy(s.leaseOwner, s.leaseUntil, opts.owner))),
  );
}
