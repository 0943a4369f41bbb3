// A deadline passed (the delay scan): finds what has become late, stalled, never scanned or not
// dispatched, by index (only rows whose stored deadline has passed are read). For each: the notice,
// recorded once; the shopper's message of it; the order's page change.
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { db, firstRow, lockRow, schema, transaction, type Tx } from '../db.ts';
import { recordNoticeEvent } from '../events/record-parcel-events.ts';
import { openNotice, type OpenedNotice } from '../notices/open-notice.ts';
import { hasUnshippedUnits } from '../notices/refresh-order-dispatch.ts';
import { revisedDate } from '../notices/refresh-shipment-alerts.ts';
import { readParcelRow } from '../shipments/parcel-row.ts';
import { notifyNoticeOpened } from '../notifications/notify-carrier-news.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { readSettings } from '../stores/settings.ts';
import { lateAt, quietAt } from '../tracking/deadlines.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';

const BATCH = 500;

export interface ScanResult {
  late: number;
  stalled: number;
  notScanned: number;
  delayedDispatch: number;
}

/** Opens every notice whose deadline has passed by `now`. */
export async function scanForDelays(now: number): Promise<ScanResult> {
  const result: ScanResult = { late: 0, stalled: 0, notScanned: 0, delayedDispatch: 0 };
  for (;;) {
    const due = await db()
      .select({ id: schema.shipments.id })
      .from(schema.shipments)
      .where(and(isNotNull(schema.shipments.lateAt), lte(schema.shipments.lateAt, now)))
      .orderBy(asc(schema.shipments.lateAt))
      .limit(BATCH);
    // One transaction per batch: short (no network), and far cheaper than one per parcel.
    const opened = await transaction(async (tx) => {
      const kinds: (string | null)[] = [];
      for (const d of due) kinds.push(await handleShipment(tx, d.id, 'late', now));
      return kinds;
    });
    result.late += opened.filter(Boolean).length;
    if (due.length < BATCH) break;
  }
  for (;;) {
    const due = await db()
      .select({ id: schema.shipments.id })
      .from(schema.shipments)
      .where(and(isNotNull(schema.shipments.quietAt), lte(schema.shipments.quietAt, now)))
      .orderBy(asc(schema.shipments.quietAt))
      .limit(BATCH);
    const kinds = await transaction(async (tx) => {
      const found: (string | null)[] = [];
      for (const d of due) found.push(await handleShipment(tx, d.id, 'quiet', now));
      return found;
    });
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
    for (const d of due) if (await handleOrder(d.id, now)) result.delayedDispatch++;
    if (due.length < BATCH) break;
  }
  return result;
}

/** Re-checks one due parcel against its current data, then records the notice; returns its kind or null. */
async function handleShipment(tx: Tx, shipmentId: string, which: 'late' | 'quiet', now: number): Promise<string | null> {
  await lockRow(tx, schema.shipments, shipmentId);
  const row = await readParcelRow(tx, shipmentId);
  if (!row) return null;
  const s = row.s;
  const settings = readSettings(row.storeSettings);
  const timeZone = row.orderTz ?? settings.timeZone;
  const input = { ...s, status: s.status as ShipmentStatus, placedAt: row.placedAt, timeZone, settings };
  let opened: OpenedNotice | null = null;
  if (which === 'late') {
    const at = lateAt(input);
    if (at !== null && at <= now) {
      opened = await openNotice(tx, {
        storeId: s.storeId,
        orderId: s.orderId,
        shipmentId,
        kind: 'late',
        revisedDate: revisedDate(s.carrierEstimateAt, now, timeZone),
        now,
      });
      await tx.update(schema.shipments).set({ lateAt: null }).where(eq(schema.shipments.id, shipmentId));
    } else await tx.update(schema.shipments).set({ lateAt: at }).where(eq(schema.shipments.id, shipmentId));
  } else {
    const quiet = quietAt(input);
    if (quiet && quiet.at <= now) {
      opened = await openNotice(tx, { storeId: s.storeId, orderId: s.orderId, shipmentId, kind: quiet.kind, now });
      await tx.update(schema.shipments).set({ quietAt: null }).where(eq(schema.shipments.id, shipmentId));
    } else
      await tx
        .update(schema.shipments)
        .set({ quietAt: quiet?.at ?? null })
        .where(eq(schema.shipments.id, shipmentId));
  }
  if (!opened) return null;
  await notifyNoticeOpened(tx, opened);
  await recordNoticeEvent(tx, opened);
  await recordPageChange(tx, s.storeId, s.orderId, now);
  return opened.kind;
}

async function handleOrder(orderId: string, now: number): Promise<boolean> {
  return transaction(async (tx) => {
    await lockRow(tx, schema.orders, orderId);
    const o = await firstRow(tx.select().from(schema.orders).where(eq(schema.orders.id, orderId)));
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
