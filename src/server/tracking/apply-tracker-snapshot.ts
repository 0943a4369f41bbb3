// Applies a carrier snapshot to a shipment so that duplicates and out-of-order deliveries leave
// the state the newest information implies: every event is stored once (the union of all
// snapshots), the status comes only from the newest snapshot (by the tracker's updated_at; ties go
// to the further-along status), and the derived times are computed from the stored events.
import { and, eq, inArray, max, min, notInArray, sql } from 'drizzle-orm';
import { schema, transaction, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import { refreshShipmentAlerts } from '../notices/refresh-shipment-alerts.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { dedupeKey, type TrackerSnapshot } from './tracker-snapshot.ts';
import { statusRank, type ShipmentStatus } from './statuses.ts';

export interface ApplyResult {
  /** False when the shipment is unknown (deleted, or another store's). */
  found: boolean;
  newEvents: number;
  statusBefore: ShipmentStatus | null;
  statusAfter: ShipmentStatus | null;
  orderId: string | null;
}

export interface ApplyOptions {
  storeId: string;
  shipmentId: string;
  snapshot: TrackerSnapshot;
  now: number;
  /** When given, the next reconciling poll is scheduled in the same transaction. */
  nextSyncFor?: (status: ShipmentStatus) => number | null;
}

/** Applies the snapshot to the store's shipment in one transaction. */
export async function applyTrackerSnapshot(opts: ApplyOptions): Promise<ApplyResult> {
  return transaction((tx) => applyInTx(tx, opts));
}

/** The same, inside a caller's transaction. */
export function applyInTx(tx: Tx, opts: ApplyOptions): ApplyResult {
  const { storeId, shipmentId, snapshot: s, now } = opts;
  const row = tx
    .select()
    .from(schema.shipments)
    .where(and(eq(schema.shipments.id, shipmentId), eq(schema.shipments.storeId, storeId)))
    .get();
  if (!row) return { found: false, newEvents: 0, statusBefore: null, statusAfter: null, orderId: null };

  const scanBefore = lastScanAt(tx, shipmentId);
  let newEvents = 0;
  if (s.details.length) {
    const inserted = tx
      .insert(schema.trackingEvents)
      .values(
        s.details.map((d) => ({
          id: newId(),
          storeId,
          shipmentId,
          occurredAt: d.occurredAt,
          status: d.status,
          statusDetail: d.statusDetail,
          message: d.message,
          city: d.city,
          state: d.state,
          country: d.country,
          postalCode: d.postalCode,
          dedupeKey: dedupeKey(d),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: schema.trackingEvents.id })
      .all();
    newEvents = inserted.length;
  }

  const before = row.status as ShipmentStatus;
  const newer =
    row.trackerUpdatedAt === null || isNewer(s, { updatedAt: row.trackerUpdatedAt, status: before, statusDetail: row.statusDetail });
  const derived = tx
    .select({
      firstScanAt: min(
        sql`case when ${inArray(schema.trackingEvents.status, ['in_transit', 'out_for_delivery', 'delivered', 'available_for_pickup', 'return_to_sender', 'failure'])} then ${schema.trackingEvents.occurredAt} end`,
      ),
      deliveredAt: min(sql`case when ${eq(schema.trackingEvents.status, 'delivered')} then ${schema.trackingEvents.occurredAt} end`),
      lastEventAt: max(schema.trackingEvents.occurredAt),
    })
    .from(schema.trackingEvents)
    .where(eq(schema.trackingEvents.shipmentId, shipmentId))
    .get();
  const after = newer ? s.status : before;
  const changed = newer || newEvents > 0;
  if (changed) {
    tx.update(schema.shipments)
      .set({
        ...(newer
          ? {
              status: s.status,
              statusDetail: s.statusDetail,
              trackerUpdatedAt: s.updatedAt,
              carrierEstimateAt: s.estDeliveryAt,
              signedBy: s.signedBy,
              publicUrl: s.publicUrl ?? row.publicUrl,
            }
          : {}),
        trackerId: row.trackerId ?? s.trackerId,
        firstScanAt: numberOrNull(derived?.firstScanAt),
        deliveredAt:
          after === 'delivered'
            ? (numberOrNull(derived?.deliveredAt) ?? (newer ? s.updatedAt : (row.deliveredAt ?? row.trackerUpdatedAt)))
            : null,
        lastEventAt: numberOrNull(derived?.lastEventAt),
        updatedAt: now,
      })
      .where(eq(schema.shipments.id, shipmentId))
      .run();
    // Movement is a carrier scan newer than any before: not a label update, not an old event reported late.
    const scanAfter = newEvents > 0 ? lastScanAt(tx, shipmentId) : scanBefore;
    refreshShipmentAlerts(tx, { storeId, shipmentId, moved: scanAfter !== null && (scanBefore === null || scanAfter > scanBefore), now });
    recordPageChange(tx, storeId, row.orderId, now);
  }
  if (opts.nextSyncFor)
    tx.update(schema.shipments)
      .set({ nextSyncAt: opts.nextSyncFor(after) })
      .where(eq(schema.shipments.id, shipmentId))
      .run();
  return { found: true, newEvents, statusBefore: before, statusAfter: after, orderId: row.orderId };
}

/**
 * A total order on snapshots of one parcel: the tracker's updated_at, then how far along the status
 * is, then the status and its detail by name, so equal times resolve the same whatever the arrival order.
 */
function isNewer(
  a: { updatedAt: number; status: ShipmentStatus; statusDetail: string | null },
  b: { updatedAt: number; status: ShipmentStatus; statusDetail: string | null },
): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  if (statusRank(a.status) !== statusRank(b.status)) return statusRank(a.status) > statusRank(b.status);
  if (a.status !== b.status) return a.status > b.status;
  return (a.statusDetail ?? '') > (b.statusDetail ?? '');
}

/** The newest carrier scan (an event past label creation) of a parcel, or null. */
function lastScanAt(tx: Tx, shipmentId: string): number | null {
  const r = tx
    .select({ at: max(schema.trackingEvents.occurredAt) })
    .from(schema.trackingEvents)
    .where(and(eq(schema.trackingEvents.shipmentId, shipmentId), notInArray(schema.trackingEvents.status, ['pre_transit', 'unknown'])))
    .get();
  return numberOrNull(r?.at);
}

function numberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
