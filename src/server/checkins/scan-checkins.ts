// The check-in scan: finds delivered parcels whose check-in has fallen due and asks the shopper
// "Did everything arrive as it should?" once per parcel: a checkins row (unique per parcel) and,
// in the same transaction, the email and push through the message ledger (dedupe key
// `checkin:{shipment}`), so a second round, a second worker or a crash never asks twice. A parcel
// with a case or a return open is not asked; one past the cut-off (ASK_LATE_CUTOFF_MS) is not
// asked late; nor one of a store that switched check-ins off on every channel. Quiet hours hold the
// question (email and push alike) until they end.
import { and, asc, eq, gt, gte, isNull, lte, or } from 'drizzle-orm';
import { db, firstRow, lockRow, schema, transaction, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import { nextSendTime } from '../messages/quiet-hours.ts';
import { queueEmail } from '../messages/queue-email.ts';
import { queueNotification } from '../notifications/queue-notification.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { kindEnabled } from '../stores/notification-settings.ts';
import { readSettings } from '../stores/settings.ts';
import { readCheckinBlockers } from './checkin-blockers.ts';
import { checkinSwitchedOff, checkinTiming, SCAN_WINDOW_MS } from './checkin-window.ts';

const BATCH = 200;

export interface CheckinScanResult {
  /** Parcels asked this round. */
  asked: number;
  /** Parcels settled without asking (a case or return open, past the cut-off, or check-ins switched off). */
  skipped: number;
}

const s = schema.shipments;

/** Delivered parcels in the scan's window with no check-in yet, after the cursor, oldest delivery first. */
function candidates(now: number, after: { at: number; id: string } | null) {
  return db()
    .select({ id: s.id, orderId: s.orderId, storeId: s.storeId, deliveredAt: s.deliveredAt })
    .from(s)
    .leftJoin(schema.checkins, eq(schema.checkins.shipmentId, s.id))
    .where(
      and(
        gte(s.deliveredAt, now - SCAN_WINDOW_MS),
        lte(s.deliveredAt, now),
        eq(s.status, 'delivered'),
        isNull(s.returnId),
        isNull(schema.checkins.id),
        after ? or(gt(s.deliveredAt, after.at), and(eq(s.deliveredAt, after.at), gt(s.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(s.deliveredAt), asc(s.id))
    .limit(BATCH);
}

/** Asks every parcel whose check-in is due at `now`. */
export async function scanCheckins(now: number): Promise<CheckinScanResult> {
  const result: CheckinScanResult = { asked: 0, skipped: 0 };
  let after: { at: number; id: string } | null = null;
  for (;;) {
    const batch = await candidates(now, after);
    for (const parcel of batch) {
      const outcome = await settleParcel({ ...parcel, deliveredAt: parcel.deliveredAt! }, now);
      if (outcome === 'asked') result.asked++;
      else if (outcome === 'skipped') result.skipped++;
    }
    const last = batch.at(-1);
    if (!last || batch.length < BATCH) break;
    after = { at: last.deliveredAt!, id: last.id };
  }
  return result;
}

/** Asks one parcel, records why it is not asked, or leaves it for a later round ('wait'). */
async function settleParcel(p: { id: string; orderId: string; storeId: string; deliveredAt: number }, now: number) {
  const order = await firstRow(
    db()
      .select({ timeZone: schema.orders.timeZone, settings: schema.stores.settings })
      .from(schema.orders)
      .innerJoin(schema.stores, eq(schema.stores.id, schema.orders.storeId))
      .where(and(eq(schema.orders.id, p.orderId), eq(schema.orders.storeId, p.storeId))),
  );
  if (!order) return 'wait';
  const settings = readSettings(order.settings);
  const timing = checkinTiming(p.deliveredAt, settings.afterDelivery, now);
  if (timing === 'early') return 'wait';
  const off = checkinSwitchedOff(settings.notifications);
  const quiet = settings.notifications.quietHours;
  // Held, never dropped: the round after the quiet hours end asks (the push too, which has no quiet hours of its own).
  if (timing === 'due' && !off && quiet.enabled && nextSendTime(now, order.timeZone ?? settings.timeZone, quiet) > now) return 'wait';
  return transaction(async (tx) => {
    await lockRow(tx, schema.shipments, p.id);
    const skus = await tx
      .select({ sku: schema.shipmentItems.sku })
      .from(schema.shipmentItems)
      .where(eq(schema.shipmentItems.shipmentId, p.id));
    const blockers = await readCheckinBlockers(tx, { storeId: p.storeId, orderId: p.orderId });
    // Switched off: settled without a message, so the figures never count a question nobody was asked.
    const skipped = timing === 'late' ? 'too_late' : off ? 'switched_off' : blockers.reasonFor({ id: p.id, skus: skus.map((x) => x.sku) });
    const row = await firstRow(
      tx
        .insert(schema.checkins)
        .values({
          id: newId(),
          storeId: p.storeId,
          orderId: p.orderId,
          shipmentId: p.id,
          askedAt: skipped ? null : now,
          skipped,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: schema.checkins.id }),
    );
    if (!row) return 'wait'; // answered from the page, or another worker got there first
    if (skipped) return 'skipped';
    await ask(tx, { ...p, settings }, now);
    return 'asked';
  });
}

/** The question on every channel the store has on for check-ins (email always through the ledger's own rules). */
async function ask(
  tx: Tx,
  p: { id: string; orderId: string; storeId: string; settings: ReturnType<typeof readSettings> },
  now: number,
): Promise<void> {
  const news = { storeId: p.storeId, orderId: p.orderId, shipmentId: p.id, kind: 'checkin' as const, key: `checkin:${p.id}`, now };
  if (kindEnabled(p.settings.notifications, 'checkin', 'push')) await queueNotification(tx, news);
  else await queueEmail(tx, news);
  // The order page shows the question from now on.
  await recordPageChange(tx, p.storeId, p.orderId, now);
}
