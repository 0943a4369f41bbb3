// Applies a carrier snapshot to a shipment so that duplicates and out-of-order deliveries leave
// the state the newest information implies: every event is stored once (the union of all
// snapshots), the status comes only from the newest snapshot (by the tracker's updated_at; ties go
// to the further-along status), and the derived times are computed from the stored events.
import { and, eq, inArray, max, min, notInArray, sql } from 'drizzle-orm';
import { prepared, schema, transaction, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import { notifyParcelProgress } from '../notifications/notify-carrier-news.ts';
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
  void tx; // SQLite: prepared queries run inside this (synchronous) transaction
  const row = q.shipment().get({ id: shipmentId, storeId });
  if (!row) return { found: false, newEvents: 0, statusBefore: null, statusAfter: null, orderId: null };

  const scanBefore = lastScanAt(tx, shipmentId);
  let newEvents = 0;
  const insertEvent = q.insertEvent();
  for (const d of s.details) {
    const r = insertEvent.run({
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
    });
    newEvents += r.changes;
  }

  const before = row.status as ShipmentStatus;
  const newer =
    row.trackerUpdatedAt === null || isNewer(s, { updatedAt: row.trackerUpdatedAt, status: before, statusDetail: row.statusDetail });
  const derived = q.derived().get({ shipmentId });
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
    notifyParcelProgress(tx, {
      storeId,
      orderId: row.orderId,
      shipmentId,
      before: { status: before, firstScanAt: row.firstScanAt },
      after: { status: after, firstScanAt: numberOrNull(derived?.firstScanAt) },
      now,
    });
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
function lastScanAt(_tx: Tx, shipmentId: string): number | null {
  return numberOrNull(q.lastScan().get({ shipmentId })?.at);
}

const SCANNED = ['in_transit', 'out_for_delivery', 'delivered', 'available_for_pickup', 'return_to_sender', 'failure'];
const te = schema.trackingEvents;
/** The queries this file runs for every carrier event, built once. */
const q = {
  shipment: () =>
    prepared('apply.shipment', (d) =>
      d
        .select()
        .from(schema.shipments)
        .where(and(eq(schema.shipments.id, sql.placeholder('id')), eq(schema.shipments.storeId, sql.placeholder('storeId'))))
        .prepare(),
    ),
  insertEvent: () =>
    prepared('apply.insertEvent', (d) =>
      d
        .insert(te)
        .values({
          id: sql.placeholder('id'),
          storeId: sql.placeholder('storeId'),
          shipmentId: sql.placeholder('shipmentId'),
          occurredAt: sql.placeholder('occurredAt'),
          status: sql.placeholder('status'),
          statusDetail: sql.placeholder('statusDetail'),
          message: sql.placeholder('message'),
          city: sql.placeholder('city'),
          state: sql.placeholder('state'),
          country: sql.placeholder('country'),
          postalCode: sql.placeholder('postalCode'),
          dedupeKey: sql.placeholder('dedupeKey'),
        })
        .onConflictDoNothing()
        .prepare(),
    ),
  derived: () =>
    prepared('apply.derived', (d) =>
      d
        .select({
          firstScanAt: min(sql`case when ${inArray(te.status, SCANNED)} then ${te.occurredAt} end`),
          deliveredAt: min(sql`case when ${eq(te.status, 'delivered')} then ${te.occurredAt} end`),
          lastEventAt: max(te.occurredAt),
        })
        .from(te)
        .where(eq(te.shipmentId, sql.placeholder('shipmentId')))
        .prepare(),
    ),
  lastScan: () =>
    prepared('apply.lastScan', (d) =>
      d
        .select({ at: max(te.occurredAt) })
        .from(te)
        .where(and(eq(te.shipmentId, sql.placeholder('shipmentId')), notInArray(te.status, ['pre_transit', 'unknown'])))
        .prepare(),
    ),
};

function numberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
