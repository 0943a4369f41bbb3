// The back office's customer list: one row per email among the store's orders, newest buyer first.
import { and, count, desc, eq, max, min, ne, or, sql } from 'drizzle-orm';
import { db, schema } from '../db.ts';

export interface CustomerRow {
  email: string;
  orders: number;
  firstOrderAt: number;
  lastOrderAt: number;
}

const o = schema.orders;
export const CUSTOMERS_PER_PAGE = 50;

/** A page of the store's customers, optionally those whose address or name contains `q`. */
export async function listCustomers(storeId: string, opts: { q?: string; page?: number } = {}): Promise<CustomerRow[]> {
  const q = opts.q?.trim().toLowerCase().slice(0, 100);
  const pattern = q ? `%${q.replace(/[\\%_]/g, '\\$&')}%` : null;
  const rows = await db()
    .select({ email: max(o.email), orders: count(), firstOrderAt: min(o.placedAt), lastOrderAt: max(o.placedAt) })
    .from(o)
    .where(
      and(
        eq(o.storeId, storeId),
        ne(o.emailNorm, ''), // erased customers are no one
        pattern
          ? or(sql`${o.emailNorm} like ${pattern} escape '\\'`, sql`lower(${o.customerName}) like ${pattern} escape '\\'`)
          : undefined,
      ),
    )
    .groupBy(o.emailNorm)
    .orderBy(desc(max(o.placedAt)))
    .limit(CUSTOMERS_PER_PAGE)
    .offset(Math.max(0, (opts.page ?? 0) * CUSTOMERS_PER_PAGE));
  return rows.map((r) => ({
    email: r.email ?? '',
    orders: Number(r.orders),
    firstOrderAt: Number(r.firstOrderAt),
    lastOrderAt: Number(r.lastOrderAt),
  }));
}
