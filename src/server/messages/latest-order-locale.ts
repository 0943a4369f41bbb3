// The locale of an address's latest order in a store: what a page reached by address alone (the
// unsubscribe link) speaks, as the emails to that address did.
import { and, desc, eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';

/** The locale of the address's most recent order in the store, or null when it has none. */
export async function latestOrderLocale(storeId: string, emailNorm: string): Promise<string | null> {
  const row = await firstRow(
    db()
      .select({ locale: schema.orders.locale })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.emailNorm, emailNorm)))
      .orderBy(desc(schema.orders.placedAt))
      .limit(1),
  );
  return row?.locale ?? null;
}
