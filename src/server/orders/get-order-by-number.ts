import { and, eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import type { Store } from '../stores/store.ts';
import { systemClock, type Clock } from '../clock.ts';
import { loadOrder, type OrderView } from './load-order.ts';
import { normalizeOrderNumber } from './normalize.ts';

/** The store's order with this number (with or without '#'), or null. */
export async function getOrderByNumber(store: Store, number: string, clock: Clock = systemClock): Promise<OrderView | null> {
  const row = await firstRow(
    db()
      .select({ id: schema.orders.id })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, store.id), eq(schema.orders.numberNorm, normalizeOrderNumber(number)))),
  );
  return row ? loadOrder(store, { id: row.id }, clock.now()) : null;
}
