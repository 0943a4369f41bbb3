// The warranty reminder scan: reads only registrations whose reminder time has passed (a partial
// index on remind_at), and tells each shopper once, by email and push, that the warranty ends in a
// month. Only registrations whose shopper ticked "Remind me" have a reminder time at all; the
// message's key is the registration's, so a second round, a second worker or a re-registration
// never sends it twice.
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { dayInZone } from '../../lib/dates.ts';
import { db, schema, transaction } from '../db.ts';
import { queueNotification } from '../notifications/queue-notification.ts';
import { readSettings } from '../stores/settings.ts';

const BATCH = 200;

/** Queues the reminders that have fallen due by `now`; returns how many were queued. */
export async function scanWarrantyReminders(now: number): Promise<number> {
  const r = schema.registrations;
  let queued = 0;
  for (;;) {
    const due = await db()
      .select({
        id: r.id,
        storeId: r.storeId,
        orderId: r.orderId,
        warrantyEndsOn: r.warrantyEndsOn,
        reminders: r.reminders,
        timeZone: schema.orders.timeZone,
        settings: schema.stores.settings,
      })
      .from(r)
      .innerJoin(schema.orders, and(eq(schema.orders.id, r.orderId), eq(schema.orders.storeId, r.storeId)))
      .innerJoin(schema.stores, eq(schema.stores.id, r.storeId))
      .where(and(isNotNull(r.remindAt), lte(r.remindAt, now)))
      .orderBy(asc(r.remindAt))
      .limit(BATCH);
    for (const d of due) {
      const timeZone = d.timeZone ?? readSettings(d.settings).timeZone;
      // A warranty already over (the reminder came due while no worker ran) is not worth a message.
      const stillRunning = d.warrantyEndsOn >= dayInZone(now, timeZone);
      await transaction(async (tx) => {
        if (d.reminders && stillRunning) {
          await queueNotification(tx, { storeId: d.storeId, orderId: d.orderId, kind: 'warranty_reminder', key: `warranty:${d.id}`, now });
          queued++;
        }
        await tx
          .update(r)
          .set({ remindAt: null })
          .where(and(eq(r.id, d.id), eq(r.storeId, d.storeId)));
      });
    }
    if (due.length < BATCH) break;
  }
  return queued;
}
