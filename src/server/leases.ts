// The conditions every lease (a claimed shipment, outbox row, email, webhook delivery, label
// purchase, one-worker job) is written and checked with, all on the database's clock (dbNowMs()).
// Business times (when a row is due, when it was sent) still come from the caller's clock, which
// tests drive by hand; only the lease, the one thing several hosts must agree on, uses the database's.
import { and, eq, gt, lt, sql, type Column, type Placeholder, type SQL } from 'drizzle-orm';
import { dbNowMs } from './db.ts';

/** The lease_until of a lease taken (or renewed) now for ms milliseconds. */
export function leaseUntilIn(ms: number | Placeholder): SQL<number> {
  return sql<number>`(${dbNowMs()} + ${ms})`;
}

/** The lease in `until` has run out (a null lease is not "expired": use isNull for "free"). */
export function leaseExpired(until: Column): SQL {
  return lt(until, dbNowMs());
}

/**
 * The row's lease is `owner`'s and has not run out: the condition of every write that records
 * work done under it. A worker paused past its lease (a GC pause, a frozen VM) finds it false and
 * records nothing, even before another worker has taken the row over.
 */
export function leaseHeldBy(ownerCol: Column, untilCol: Column, owner: string | Placeholder): SQL {
  return and(eq(ownerCol, owner), gt(untilCol, dbNowMs()))!;
}
