// Keeps the outbox and the device list from growing forever: finished rows are history for a
// month, and a device stops following an order half a year after it subscribed (returns and review
// invitations come well within that). The hourly prune job runs it.
import { and, inArray, lt } from 'drizzle-orm';
import { affectedRows, schema, transaction } from '../db.ts';

const DAY = 86_400_000;
const KEEP_FINISHED_MS = 30 * DAY;
const FOLLOW_FOR_MS = 180 * DAY;

/** Deletes finished outbox rows older than a month and subscriptions older than half a year. */
export async function pruneOutbox(now: number): Promise<{ rows: number; subscriptions: number }> {
  const o = schema.notificationOutbox;
  return transaction(async (tx) => ({
    rows: affectedRows(
      await tx
        .delete(o)
        .where(and(lt(o.createdAt, now - KEEP_FINISHED_MS), inArray(o.status, ['sent', 'failed', 'superseded', 'expired', 'abandoned']))),
    ),
    // Their queued rows go with them (ON DELETE CASCADE).
    subscriptions: affectedRows(
      await tx.delete(schema.pushSubscriptions).where(lt(schema.pushSubscriptions.createdAt, now - FOLLOW_FOR_MS)),
    ),
  }));
}
