// Order-page visits for "where is my order?" deflection, counted without cookies, addresses or
// anything personal: a daily counter per store and order, with the day's first and last view.
// Views are added up in this process's memory (one Map lookup, nothing awaited, so a cached page
// stays a memory answer) and flushed every few seconds in one transaction; a process killed
// between flushes loses at most those seconds of counts, never a figure's meaning.
import { sql } from 'drizzle-orm';
import { log } from '../log.ts';
import { schema, transaction } from '../db.ts';

const FLUSH_MS = 5_000;

interface Pending {
  storeId: string;
  orderId: string;
  day: string;
  views: number;
  firstAt: number;
  lastAt: number;
}

// One per process, even when this module is loaded twice (Node and Astro's bundle).
const g = globalThis as { __waypostPageViews?: { pending: Map<string, Pending>; timer: NodeJS.Timeout | null } };
const state = (g.__waypostPageViews ??= { pending: new Map(), timer: null });

/** Counts one view of an order page (the front server's cached answer, or Astro's render). */
export function countOrderPageView(storeId: string, orderId: string, now = Date.now()): void {
  const day = new Date(now).toISOString().slice(0, 10);
  const key = `${storeId}|${orderId}|${day}`;
  const p = state.pending.get(key);
  if (p) {
    p.views++;
    p.firstAt = Math.min(p.firstAt, now);
    p.lastAt = Math.max(p.lastAt, now);
  } else state.pending.set(key, { storeId, orderId, day, views: 1, firstAt: now, lastAt: now });
  if (!state.timer) {
    state.timer = setTimeout(() => void flushPageViews().catch((err: unknown) => log.warn({ err }, 'page views not flushed')), FLUSH_MS);
    state.timer.unref();
  }
}

/** Writes the views counted so far (the timer does this; tests and a clean stop may call it). */
export async function flushPageViews(): Promise<number> {
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const batch = [...state.pending.values()];
  state.pending.clear();
  if (batch.length === 0) return 0;
  const v = schema.orderPageViews;
  await transaction(async (tx) => {
    for (let i = 0; i < batch.length; i += 200)
      await tx
        .insert(v)
        .values(batch.slice(i, i + 200))
        .onConflictDoUpdate({
          target: [v.storeId, v.orderId, v.day],
          set: {
            views: sql`${v.views} + excluded.views`,
            // CASE, not min()/max() of two values: the same SQL on SQLite and PostgreSQL.
            firstAt: sql`case when excluded.first_at < ${v.firstAt} then excluded.first_at else ${v.firstAt} end`,
            lastAt: sql`case when excluded.last_at > ${v.lastAt} then excluded.last_at else ${v.lastAt} end`,
          },
        });
  });
  return batch.length;
}
