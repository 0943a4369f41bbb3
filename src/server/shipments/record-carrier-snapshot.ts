// Records a carrier snapshot on its parcel so that duplicates and out-of-order deliveries leave
// the state the newest information implies: every event is stored once (the union of all
// snapshots), the status comes only from the newest snapshot (by the tracker's updated_at; ties go
// to the further-along status), and the derived times are computed from the stored events.
// Only the parcel's own rows are written here; what follows from the news (notices, messages, the
// return, the page) is listed in changes/carrier-news.ts.
import { and, count, eq, gte, inArray, max, min, notInArray, sql } from 'drizzle-orm';
import { affectedRows, firstRow, lockRow, prepared, schema, type Tx } from '../db.ts';
import { readParcelRow, type ParcelRow } from './parcel-row.ts';
import { newSortableId } from '../ids.ts';
import { dedupeKey, type TrackerSnapshot } from '../tracking/tracker-snapshot.ts';
import { statusRank, type ShipmentStatus } from '../tracking/statuses.ts';

/** What recording a snapshot changed on the parcel. */
export interface RecordedSnapshot {
  /** False when the shipment is unknown (deleted, or another store's). */
  found: boolean;
  /** True when the row was written (a newer snapshot, or events new to us). */
  changed: boolean;
  newEvents: number;
  statusBefore: ShipmentStatus | null;
  statusAfter: ShipmentStatus | null;
  /** A carrier scan newer than any stored before (not a label update, not an old event reported late). */
  moved: boolean;
  orderId: string | null;
  /** Set when the parcel is a return's way back. */
  returnId: string | null;
  firstScanBefore: number | null;
  firstScanAfter: number | null;
  /** The parcel as now stored, with its alert context (null when not found): what follows the news reads it from here. */
  parcel: ParcelRow | null;
}

export interface RecordSnapshotOptions {
  storeId: string;
  shipmentId: string;
  snapshot: TrackerSnapshot;
  now: number;
  /** When given, the next reconciling poll is scheduled in the same transaction. */
  nextSyncFor?: (status: ShipmentStatus) => number | null;
}

/** Stores the snapshot's events and status on the store's shipment, inside the caller's transaction. */
export async function recordCarrierSnapshot(tx: Tx, opts: RecordSnapshotOptions): Promise<RecordedSnapshot> {
  const { storeId, shipmentId, snapshot: s, now } = opts;
  // Read, then written from what was read: no other writer may change the parcel in between.
  await lockRow(tx, schema.shipments, shipmentId);
  // The parcel with its alert context (one statement), handed on to what follows the news.
  const context = await readParcelRow(tx, shipmentId);
  const row = context?.s.storeId === storeId ? context.s : undefined;
  if (!context || !row)
    return {
      found: false,
      changed: false,
      newEvents: 0,
      statusBefore: null,
      statusAfter: null,
      moved: false,
      orderId: null,
      returnId: null,
      firstScanBefore: null,
      firstScanAfter: null,
      parcel: null,
    };

  let newEvents = 0;
  // What the new events add to the derived times: the earliest new scan (first scan), the latest
  // new event (last event), and the newest new carrier scan with how many new scans share its time.
  let firstNewScan: number | null = null;
  let lastNew: number | null = null;
  let newestScan: number | null = null;
  let atNewest = 0;
  const insertEvent = q.insertEvent(tx);
  // A tracker's event repeats its whole history: only the details not stored yet are inserted (one
  // read of the parcel's keys, by the unique index, instead of an insert refused per old detail).
  const stored = new Set((await q.storedKeys(tx).execute({ shipmentId })).map((e) => e.dedupeKey));
  const storedBefore = stored.size;
  for (const d of s.details) {
    const key = dedupeKey(d);
    if (stored.has(key)) continue;
    stored.add(key); // a detail repeated within the snapshot is stored once
    const inserted = affectedRows(
      await insertEvent.execute({
        id: newSortableId(),
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
        dedupeKey: key,
      }),
    );
    if (inserted === 0) continue;
    newEvents += inserted;
    lastNew = lastNew === null ? d.occurredAt : Math.max(lastNew, d.occurredAt);
    if (SCANNED.includes(d.status)) firstNewScan = firstNewScan === null ? d.occurredAt : Math.min(firstNewScan, d.occurredAt);
    if (!isScan(d.status)) continue;
    if (newestScan === null || d.occurredAt > newestScan) [newestScan, atNewest] = [d.occurredAt, 1];
    else if (d.occurredAt === newestScan) atNewest++;
  }

  const before = row.status as ShipmentStatus;
  const { firstScanAt: firstScanBefore, lastEventAt: lastEventBefore } = row; // before the row is written below
  const newer =
    row.trackerUpdatedAt === null || isNewer(s, { updatedAt: row.trackerUpdatedAt, status: before, statusDetail: row.statusDetail });
  const after = newer ? s.status : before;
  const changed = newer || newEvents > 0;
  // The derived times: the row holds the stored events' first scan and last event (only this file
  // writes events and those columns), so new events move them by min and max. The aggregate over
  // the stored events runs only where the row cannot say: a delivered parcel (its delivery time is
  // the earliest delivery scan, which the row does not keep while not delivered) and a row whose
  // events were stored before it kept the times. A duplicate or stale delivery, common when
  // EasyPost retries, reads nothing more.
  const rowKnows = storedBefore === 0 || row.lastEventAt !== null;
  const derived = changed && (after === 'delivered' || !rowKnows) ? await firstRow(q.derived(tx).execute({ shipmentId })) : undefined;
  const firstScanAt = derived ? numberOrNull(derived.firstScanAt) : minOf(firstScanBefore, firstNewScan);
  const lastEventAt = derived ? numberOrNull(derived.lastEventAt) : maxOf(lastEventBefore, lastNew);
  if (changed) {
    // One prepared statement for the whole row (a newer snapshot's fields, or the row's own again):
    // this runs for every carrier event, and building an update afresh costs more than running it.
    const values = {
      status: newer ? s.status : before,
      statusDetail: newer ? s.statusDetail : row.statusDetail,
      trackerUpdatedAt: newer ? s.updatedAt : row.trackerUpdatedAt,
      carrierEstimateAt: newer ? s.estDeliveryAt : row.carrierEstimateAt,
      signedBy: newer ? s.signedBy : row.signedBy,
      publicUrl: newer ? (s.publicUrl ?? row.publicUrl) : row.publicUrl,
      trackerId: row.trackerId ?? s.trackerId,
      firstScanAt,
      deliveredAt:
        after === 'delivered'
          ? (numberOrNull(derived?.deliveredAt) ?? (newer ? s.updatedAt : (row.deliveredAt ?? row.trackerUpdatedAt)))
          : null,
      lastEventAt,
      updatedAt: now,
      nextSyncAt: opts.nextSyncFor ? opts.nextSyncFor(after) : row.nextSyncAt,
    };
    await q.updateShipment(tx).execute({ id: shipmentId, ...values });
    Object.assign(row, values); // the context handed on is the row as now stored
  } else if (opts.nextSyncFor) {
    const nextSyncAt = opts.nextSyncFor(after);
    await q.setNextSync(tx).execute({ id: shipmentId, nextSyncAt });
    row.nextSyncAt = nextSyncAt;
  }
  return {
    found: true,
    changed,
    newEvents,
    statusBefore: before,
    statusAfter: after,
    moved: changed && (await movedOn(tx, shipmentId, newestScan, atNewest, rowKnows ? lastEventBefore : undefined)),
    orderId: row.orderId,
    returnId: row.returnId,
    firstScanBefore,
    firstScanAfter: row.firstScanAt,
    parcel: context,
  };
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

/** A carrier scan: an event past label creation. */
const isScan = (status: string) => status !== 'pre_transit' && status !== 'unknown';

/**
 * Movement is a carrier scan newer than any before: not a label update, not an old event reported
 * late. True when the newest new scan is later than every scan stored before it (no other scan at
 * or after its time than the new ones). When it is later than the parcel's last event before, no
 * stored event can be at or after it, and nothing is read.
 */
async function movedOn(
  tx: Tx,
  shipmentId: string,
  newestScan: number | null,
  atNewest: number,
  lastEventBefore: number | null | undefined,
): Promise<boolean> {
  if (newestScan === null) return false;
  if (lastEventBefore === null || (lastEventBefore !== undefined && newestScan > lastEventBefore)) return true;
  const scans = await firstRow(q.scansSince(tx).execute({ shipmentId, since: newestScan }));
  return Number(scans?.n ?? 0) === atNewest;
}

const SCANNED: readonly string[] = ['in_transit', 'out_for_delivery', 'delivered', 'available_for_pickup', 'return_to_sender', 'failure'];
const te = schema.trackingEvents;
/** The queries this file runs for every carrier event, built once per connection. */
const q = {
  storedKeys: (tx: Tx) =>
    prepared(tx, 'apply.storedKeys', (d) =>
      d
        .select({ dedupeKey: te.dedupeKey })
        .from(te)
        .where(eq(te.shipmentId, sql.placeholder('shipmentId')))
        .prepare(),
    ),
  insertEvent: (tx: Tx) =>
    prepared(tx, 'apply.insertEvent', (d) =>
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
  derived: (tx: Tx) =>
    prepared(tx, 'apply.derived', (d) =>
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
  updateShipment: (tx: Tx) =>
    prepared(tx, 'apply.updateShipment', (d) =>
      d
        .update(schema.shipments)
        .set({
          status: param('status'),
          statusDetail: param('statusDetail'),
          trackerUpdatedAt: param('trackerUpdatedAt'),
          carrierEstimateAt: param('carrierEstimateAt'),
          signedBy: param('signedBy'),
          publicUrl: param('publicUrl'),
          trackerId: param('trackerId'),
          firstScanAt: param('firstScanAt'),
          deliveredAt: param('deliveredAt'),
          lastEventAt: param('lastEventAt'),
          updatedAt: param('updatedAt'),
          nextSyncAt: param('nextSyncAt'),
        })
        .where(eq(schema.shipments.id, sql.placeholder('id')))
        .prepare(),
    ),
  setNextSync: (tx: Tx) =>
    prepared(tx, 'apply.setNextSync', (d) =>
      d
        .update(schema.shipments)
        .set({ nextSyncAt: param('nextSyncAt') })
        .where(eq(schema.shipments.id, sql.placeholder('id')))
        .prepare(),
    ),
  scansSince: (tx: Tx) =>
    prepared(tx, 'apply.scansSince', (d) =>
      d
        .select({ n: count() })
        .from(te)
        .where(
          and(
            eq(te.shipmentId, sql.placeholder('shipmentId')),
            gte(te.occurredAt, sql.placeholder('since')),
            notInArray(te.status, ['pre_transit', 'unknown']),
          ),
        )
        .prepare(),
    ),
};

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function numberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** A placeholder where drizzle's update types want a value (SET col = ?). */
const param = (name: string) => sql`${sql.placeholder(name)}`;
