// Fixed-window counters in the database, so every instance shares them.
import { eq, sql } from 'drizzle-orm';
import { db, firstRow, schema, transaction, type Tx } from '../db.ts';

export interface Limit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

/** True if the key is over its limit right now (does not count an attempt). */
export async function isRateLimited(key: string, limit: Limit, now: number): Promise<boolean> {
  const row = await firstRow(db().select().from(schema.rateLimits).where(eq(schema.rateLimits.key, key)));
  return !!row && now - row.windowStart < limit.windowMs && row.count >= limit.max;
}

/** Counts one attempt against the key; returns the attempts in the current window. */
export async function countAttempt(key: string, limit: Limit, now: number): Promise<number> {
  return transaction((tx) => countAttemptInTx(tx, key, limit, now));
}

/** The same inside the caller's transaction, so an attempt counts only if the rest of it commits. */
export async function countAttemptInTx(tx: Tx, key: string, limit: Limit, now: number): Promise<number> {
  const row = await firstRow(tx.select().from(schema.rateLimits).where(eq(schema.rateLimits.key, key)));
  if (!row || now - row.windowStart >= limit.windowMs) {
    await tx
      .insert(schema.rateLimits)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({ target: schema.rateLimits.key, set: { windowStart: now, count: 1 } });
    return 1;
  }
  await tx
    .update(schema.rateLimits)
    .set({ count: sql`${schema.rateLimits.count} + 1` })
    .where(eq(schema.rateLimits.key, key));
  return row.count + 1;
}
