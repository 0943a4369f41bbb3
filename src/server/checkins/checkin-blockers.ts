// What stops a check-in being asked: the shopper has already told the store something is wrong
// (a case open for the parcel or the whole order) or is sending items of the parcel back (a return
// that is not rejected or cancelled). Asking "did everything arrive?" then would ignore them.
import { and, eq, ne } from 'drizzle-orm';
import { schema, type Tx } from '../db.ts';
import { returnedQuantitiesWith } from '../returns/returned-skus.ts';

type Reader = Pick<Tx, 'select'>;

export interface CheckinBlockers {
  /** Why this parcel is not asked, or null when it may be. */
  reasonFor(parcel: { id: string; skus: readonly string[] }): 'case_open' | 'return_open' | null;
}

/** Reads the order's open cases and returns once, for each of its parcels to be judged. */
export async function readCheckinBlockers(r: Reader, opts: { storeId: string; orderId: string }): Promise<CheckinBlockers> {
  const [cases, returned] = await Promise.all([
    r
      .select({ shipmentId: schema.cases.shipmentId })
      .from(schema.cases)
      .where(and(eq(schema.cases.storeId, opts.storeId), eq(schema.cases.orderId, opts.orderId), ne(schema.cases.status, 'resolved'))),
    returnedQuantitiesWith(r, opts),
  ]);
  const orderCase = cases.some((c) => c.shipmentId === null);
  const parcelCases = new Set(cases.map((c) => c.shipmentId));
  return {
    reasonFor: (p) => {
      if (orderCase || parcelCases.has(p.id)) return 'case_open';
      if (p.skus.some((sku) => (returned[sku] ?? 0) > 0)) return 'return_open';
      return null;
    },
  };
}
