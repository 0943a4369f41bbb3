// A deadline passed (the delay scan): finds what has become late, stalled, never scanned or not
// dispatched, by index (only rows whose stored deadline has passed are read). For each: the notice,
// recorded once; the shopper's message of it; the order's page change.
//
// SQLite works a batch of due parcels in one transaction (one writer: one commit is far cheaper
// than one per parcel). PostgreSQL is bound by round trips instead, so there a batch is cut into
// transactions of whole orders (no two of them write the same order's rows, so they never wait on
// each other) run side by side, each on its own connection. Every parcel is locked as it is read,
// so one a webhook changed since the batch was read is judged on what the webhook wrote.
import { and, asc, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { db, firstRow, forUpdate, schema, sideBySideTransactions, transaction, type Tx } from '../db.ts';
import { recordNoticeEvent } from '../events/record-parcel-events.ts';
import { openNotice, type OpenedNotice } from '../notices/open-notice.ts';
import { hasUnshippedUnits } from '../notices/refresh-order-dispatch.ts';
import { revisedDate } from '../notices/refresh-shipment-alerts.ts';
import { lockParcelRow } from '../shipments/parcel-row.ts';
import { notifyNoticeOpened } from '../notifications/notify-carrier-news.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { readSettings } from '../stores/settings.ts';
import { lateAt, quietAt } from '../tracking/deadlines.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';

const BATCH = 500;
/** Parcels per transaction when transactions run side by side: short enough not to hold a parcel's lock long. */
const PER_TRANSACTION = 50;

export interface ScanResult {
  late: number;
  stalled: number;
  notScanned: number;
  delayedDispatch: number;
}

type Which = 'late' | 'quiet';
interface DueParcel {
  id: string;
  orderId: string;
}

/** Opens every notice whose deadline has passed by `now`. */
export async function scanForDelays(now: number): Promise<ScanResult> {
  const result: ScanResult = { late: 0, stalled: 0, notScanned: 0, delayedDispatch: 0 };
  for (;;) {
    const due = await dueParcels('late', now);
    const kinds = await workParcels(due, 'late', now);
    result.late += kinds.filter(Boolean).length;
    if (due.length < BATCH) break;
  }
  for (;;) {
    const due = await dueParcels('quiet', now);
    const kinds = await workParcels(due, 'quiet', now);
    result.stalled += kinds.filter((k) => k === 'stalled').length;
    result.notScanned += kinds.filter((k) => k === 'not_scanned').length;
    if (due.length < BATCH) break;
  }
  for (;;) {
    const due = await db()
      .select({ id: schema.orders.id })
      .from(schema.orders)
      .where(and(isNotNull(schema.orders.dispatchDueAt), lte(schema.orders.dispatchDueAt, now)))
      .limit(BATCH);
    // One transaction per order, as many side by side as the database allows.
    const told = await sideBySide(
      due.map((d) => d.id),
      (orderId) => handleOrder(orderId, now),
    );
    result.delayedDispatch += told.filter(Boolean).length;
    if (due.length < BATCH) break;
  }
  return result;
}

function dueParcels(which: Which, now: number): Promise<DueParcel[]> {
  const column = which === 'late' ? schema.shipments.lateAt : schema.shipments.quietAt;
  return db()
    .select({ id: schema.shipments.id, orderId: schema.shipments.orderId })
    .from(schema.shipments)
    .where(and(isNotNull(column), lte(column, now)))
    .orderBy(asc(column))
    .limit(BATCH);
}

/** Works through a batch of due parcels; returns each one's notice kind or null. */
async function workParcels(due: DueParcel[], which: Which, now: number): Promise<(string | null)[]> {
  if (due.length === 0) return [];
  const lanes = sideBySideTransactions();
  // Side by side, a small batch is cut into one part per lane (every lane busy), a large one into parts of PER_TRANSACTION.
  const parts = lanes === 1 ? [due.map((d) => d.id)] : byOrder(due, Math.min(PER_TRANSACTION, Math.ceil(due.length / lanes)));
  const kinds = await sideBySide(parts, (ids) =>
    transaction(async (tx) => {
      const deadlines = new Map<string, number | null>();
      const found: (string | null)[] = [];
      for (const id of ids) found.push(await handleShipment(tx, id, which, now, deadlines));
      await storeDeadlines(tx, which, deadlines);
      return found;
    }),
  );
  return kinds.flat();
}

/** The parcels' ids cut into parts of about `size`, every order's parcels in one part. */
function byOrder(due: DueParcel[], size: number): string[][] {
  const ofOrder = new Map<string, string[]>();
  for (const d of due) {
    const ids = ofOrder.get(d.orderId);
    if (ids) ids.push(d.id);
    else ofOrder.set(d.orderId, [d.id]);
  }
  const parts: string[][] = [];
  let part: string[] = [];
  for (const ids of ofOrder.values()) {
    part.push(...ids);
    if (part.length >= size) {
      parts.push(part);
      part = [];
    }
  }
  if (part.length) parts.push(part);
  return parts;
}

/**
 * Runs work on every unit, up to sideBySideTransactions() at a time, results in the units' order.
 * Every unit started is waited for before a failure is thrown, so no work outlives the scan's lease.
 */
async function sideBySide<U, T>(units: U[], work: (unit: U) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(units.length);
  let next = 0;
  const lane = async () => {
    while (next < units.length) {
      const i = next++;
      results[i] = await work(units[i]!);
    }
  };
  const lanes = Array.from({ length: Math.min(sideBySideTransactions(), units.length) }, lane);
  const failed = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}

/**
 * Re-checks one locked due parcel against its current data and records the notice; returns its
 * kind or null. Its new deadline goes into `deadlines` (written for the whole part at once).
 */
async function handleShipment(
  tx: Tx,
  shipmentId: string,
  which: Which,
  now: number,
  deadlines: Map<string, number | null>,
): Promise<string | null> {
  const row = await lockParcelRow(tx, shipmentId);
  if (!row) return null;
  const s = row.s;
  const settings = readSettings(row.storeSettings);
  const timeZone = row.orderTz ?? settings.timeZone;
  const input = { ...s, status: s.status as ShipmentStatus, placedAt: row.placedAt, timeZone, settings };
  let opened: OpenedNotice | null = null;
  let deadline: number | null;
  if (which === 'late') {
    const at = lateAt(input);
    deadline = at !== null && at <= now ? null : at;
    if (at !== null && at <= now)
      opened = await openNotice(tx, {
        storeId: s.storeId,
        orderId: s.orderId,
        shipmentId,
        kind: 'late',
        revisedDate: revisedDate(s.carrierEstimateAt, now, timeZone),
        now,
      });
  } else {
    const quiet = quietAt(input);
    deadline = quiet && quiet.at <= now ? null : (quiet?.at ?? null);
    if (quiet && quiet.at <= now)
      opened = await openNotice(tx, { storeId: s.storeId, orderId: s.orderId, shipmentId, kind: quiet.kind, now });
  }
  // A webhook that moved the parcel since the batch was read may have stored this deadline already.
  if (deadline !== (which === 'late' ? s.lateAt : s.quietAt)) deadlines.set(shipmentId, deadline);
  if (!opened) return null;
  // The parcel's row was just read under its lock: the shopper's message and the event take it from here.
  await notifyNoticeOpened(tx, opened, s);
  await recordNoticeEvent(tx, opened, s);
  await recordPageChange(tx, s.storeId, s.orderId, now);
  return opened.kind;
}

/** Stores the parcels' new deadlines: the cleared ones in one statement, a moved one each in its own. */
async function storeDeadlines(tx: Tx, which: Which, deadlines: Map<string, number | null>): Promise<void> {
  const set = (at: number | null) => (which === 'late' ? { lateAt: at } : { quietAt: at });
  const cleared = [...deadlines].filter(([, at]) => at === null).map(([id]) => id);
  if (cleared.length) await tx.update(schema.shipments).set(set(null)).where(inArray(schema.shipments.id, cleared));
  for (const [id, at] of deadlines) if (at !== null) await tx.update(schema.shipments).set(set(at)).where(eq(schema.shipments.id, id));
}

async function handleOrder(orderId: string, now: number): Promise<boolean> {
  return transaction(async (tx) => {
    const o = await firstRow(forUpdate(tx.select().from(schema.orders).where(eq(schema.orders.id, orderId)), schema.orders));
    if (!o) return false;
    await tx.update(schema.orders).set({ dispatchDueAt: null }).where(eq(schema.orders.id, orderId));
    if (!(await hasUnshippedUnits(tx, orderId))) return false; // everything shipped since the deadline was read
    const opened = await openNotice(tx, { storeId: o.storeId, orderId, shipmentId: null, kind: 'delayed_dispatch', now });
    if (!opened) return false;
    await notifyNoticeOpened(tx, opened);
    await recordPageChange(tx, o.storeId, orderId, now);
    return true;
  });
}
