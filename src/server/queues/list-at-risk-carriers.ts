// The carriers of the store's at-risk parcels, for the queue's carrier filter.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import { carrierName } from '../tracking/carrier-links.ts';

/** Carriers (code and name) of the parcels with an open notice, by code. */
export async function listAtRiskCarriers(storeId: string): Promise<{ code: string; name: string }[]> {
  const rows = await db()
    .selectDistinct({ code: schema.shipments.carrier })
    .from(schema.notices)
    .innerJoin(schema.shipments, eq(schema.shipments.id, schema.notices.shipmentId))
    .where(and(eq(schema.notices.storeId, storeId), isNull(schema.notices.clearedAt)))
    .orderBy(asc(schema.shipments.carrier));
  return rows.map((r) => ({ code: r.code, name: carrierName(r.code) }));
}
