// Fixed-window counters in the database, so every instance shares them.
import { eq, sql } from 'drizzle-orm';
import { db, schema, transaction } from '../db.ts';

export interface Limit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

/** True if the key is over its limit right now (does not count an attempt). */
export async function isRateLimited(key: string, limit: Limit, now: number): Promise<boolean> {
  const row = await db().select().from(schema.rateLimits).where(eq(schema.rateLimits.key, key)).get();
  return !!row && now - row.windowStart < limit.windowMs && row.count >= limit.max;
}

/** Counts one attempt against the key; returns the attempts in the current window. */
export async function countAttempt(key: string, limit: Limit, now: number): Promise<number> {
  return transaction((tx) => {
    const row = tx.select().from(schema.rateLimits).where(eq(schema.rateLimits.key, key)).get();
    if (!row || now - row.windowStart >= limit.windowMs) {
      tx.insert(schema.rateLimits)
        .values({ key, windowStart: now, count: 1 })
        .onConflictDoUpdate({ target: schema.rateLimits.key, set: { windowStart: now, count: 1 } })
        .run();
      return 1;
    }
    tx.update(schema.rateLimits)
      .set({ count: sql`${schema.rateLimits.count} + 1` })
      .where(eq(schema.rateLimits.key, key))
      .run();
    return row.count + 1;
  });
}
