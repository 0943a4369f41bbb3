// After anything about a parcel changes: open or clear its delay and exception notices, and set
// the deadlines the delay scan watches. Runs inside the writer's transaction; what else follows
// from a parcel's change (its review due time, a case) is listed in changes/parcel-changed.ts.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { dayInZone } from '../../lib/dates.ts';
import { prepared, schema, type Tx } from '../db.ts';
import { readParcelRow, type ParcelRow } from '../shipments/parcel-row.ts';
import { readSettings, type StoreSettings } from '../stores/settings.ts';
import { lateAt, quietAt, type DeadlineInput } from '../tracking/deadlines.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';
import { exceptionFor, type ExceptionSignal } from './notice-kinds.ts';
import { clearNotices, openNotice, openNoticeKinds, type OpenedNotice } from './open-notice.ts';

/** A parcel with what its alerts depend on: its order's placing time and the zone and settings in force. */
export interface ParcelContext {
  shipment: typeof schema.shipments.$inferSelect;
  placedAt: number;
  timeZone: string;
  settings: StoreSettings;
}

/** Reads the parcel and its context (one statement); null when there is no such parcel. */
export async function readParcelContext(tx: Tx, shipmentId: string): Promise<ParcelContext | null> {
  const row = await readParcelRow(tx, shipmentId);
  return row ? parcelContextOf(row) : null;
}

/** The context of a parcel row already read (carrier news reads it once, before it writes the row). */
export function parcelContextOf(row: ParcelRow): ParcelContext {
  const settings = readSettings(row.storeSettings);
  return { shipment: row.s, placedAt: row.placedAt, timeZone: row.orderTz ?? settings.timeZone, settings };
}

/**
 * Brings a parcel's notices and deadlines up to date; `moved` says a new carrier scan arrived.
 * Answers the carrier exception the parcel is in, if any (a person may have to act on it), and the
 * notice it opened, if any (the shopper is to be told).
 */
export async function refreshShipmentAlerts(
  tx: Tx,
  parcel: ParcelContext,
  opts: { moved: boolean; now: number },
): Promise<{ exception: ExceptionSignal | null; opened: OpenedNotice[] }> {
  const { moved, now } = opts;
  const { shipment: s, settings, timeZone } = parcel;
  const { storeId, id: shipmentId } = s;
  const status = s.status as ShipmentStatus;
  const open = await openNoticeKinds(tx, shipmentId);

  if (status === 'delivered') {
    await clearNotices(tx, shipmentId, ['late', 'stalled', 'not_scanned', 'exception'], now, open);
    await writeDeadlines(tx, s, null, null);
    return { exception: null, opened: [] };
  }
  if (moved) await clearNotices(tx, shipmentId, ['stalled', 'not_scanned'], now, open);

  const exception = exceptionFor(status, s.statusDetail);
  const told: OpenedNotice[] = [];
  if (exception) {
    const opened = await openNotice(tx, {
      storeId,
      orderId: s.orderId,
      shipmentId,
      kind: 'exception',
      reason: exception.reason,
      needsPerson: exception.caseKind !== null,
      now,
    });
    open.add('exception');
    if (opened) told.push(opened);
    else {
      await tx
        .update(schema.notices)
        .set({ reason: exception.reason, needsPerson: exception.caseKind !== null })
        .where(and(eq(schema.notices.scope, shipmentId), eq(schema.notices.kind, 'exception'), isNull(schema.notices.clearedAt)));
    }
  } else if (moved) {
    await clearNotices(tx, shipmentId, ['exception'], now, open);
  }

  const input: DeadlineInput = {
    status,
    createdAt: s.createdAt,
    firstScanAt: s.firstScanAt,
    lastEventAt: s.lastEventAt,
    promisedDate: s.promisedDate,
    carrierEstimateAt: s.carrierEstimateAt,
    placedAt: parcel.placedAt,
    timeZone,
    settings,
  };
  let late = lateAt(input);
  if (open.has('late')) {
    // Told once, it stays until the parcel arrives or settles, or the store moves its own promise
    // past today. A new carrier date only updates it (the first carrier date is not kept, so a
    // later one cannot tell "no longer late" from "the carrier slipped again").
    if (late === null || (late > now && s.promisedDate !== null)) await clearNotices(tx, shipmentId, ['late'], now, open);
    else {
      await tx
        .update(schema.notices)
        .set({ revisedDate: revisedDate(s.carrierEstimateAt, now, timeZone) })
        .where(and(eq(schema.notices.scope, shipmentId), eq(schema.notices.kind, 'late'), isNull(schema.notices.clearedAt)));
      late = null; // told already; nothing for the scan to do
    }
  }
  const quiet = quietAt(input);
  const quietDue = quiet && !open.has(quiet.kind) ? quiet.at : null;
  await writeDeadlines(tx, s, late, quietDue);
  return { exception, opened: told };
}

/** Sets the delay scan's deadlines on the parcel, when they moved (the row passed is as stored). */
async function writeDeadlines(tx: Tx, s: ParcelContext['shipment'], lateAt: number | null, quietAt: number | null): Promise<void> {
  if (s.lateAt === lateAt && s.quietAt === quietAt) return;
  await setDeadlines(tx).execute({ id: s.id, lateAt, quietAt });
  Object.assign(s, { lateAt, quietAt });
}

const setDeadlines = (tx: Tx) =>
  prepared(tx, 'alerts.setDeadlines', (d) =>
    d
      .update(schema.shipments)
      .set({ lateAt: param('lateAt'), quietAt: param('quietAt') })
      .where(eq(schema.shipments.id, sql.placeholder('id')))
      .prepare(),
  );

/** The carrier's estimate as a new date for a late parcel, when it is still ahead. */
export function revisedDate(carrierEstimateAt: number | null, now: number, timeZone: string): string | null {
  if (carrierEstimateAt === null) return null;
  const day = new Date(carrierEstimateAt).toISOString().slice(0, 10);
  return day >= dayInZone(now, timeZone) ? day : null;
}

/** A placeholder where drizzle's update types want a value (SET col = ?). */
const param = (name: string) => sql`${sql.placeholder(name)}`;
