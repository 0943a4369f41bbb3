// What every endpoint was sent: each delivery with its request, the last answer and its timing,
// newest first; and "send again", which queues the same delivery (same webhook-id) at once.
import { and, desc, eq, ne } from 'drizzle-orm';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';

const d = schema.webhookDeliveries;

export interface DeliveryJson {
  id: string;
  endpointId: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  body: string;
  lastStatus: number | null;
  lastAnswer: string | null;
  lastDurationMs: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The store's deliveries (of one endpoint, when given), newest first. */
export async function listDeliveries(storeId: string, opts: { endpointId?: string; limit?: number } = {}): Promise<DeliveryJson[]> {
  const rows = await db()
    .select()
    .from(d)
    .where(and(eq(d.storeId, storeId), opts.endpointId ? eq(d.endpointId, opts.endpointId) : undefined))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(Math.min(opts.limit ?? 50, 200));
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpointId,
    eventId: r.eventId,
    type: r.type,
    status: r.status,
    attempts: r.attempts,
    body: r.body,
    lastStatus: r.lastStatus,
    lastAnswer: r.lastAnswer,
    lastDurationMs: r.lastDurationMs,
    lastAttemptAt: iso(r.lastAttemptAt),
    nextAttemptAt: r.status === 'pending' ? iso(r.nextAttemptAt) : null,
    createdAt: iso(r.createdAt)!,
    deliveredAt: iso(r.deliveredAt),
  }));
}

/** Sends a delivery again now, with the same webhook-id (one more attempt; not while one is under way). */
export async function resendDelivery(storeId: string, id: string, now: number): Promise<void> {
  await transaction(async (tx) => {
    const r = await firstRow(
      tx
        .select({ status: d.status })
        .from(d)
        .where(and(eq(d.id, id), eq(d.storeId, storeId))),
    );
    if (!r) throw new AppError('not_found', 'No such delivery.');
    if (r.status === 'sending') throw new AppError('conflict', 'This delivery is being sent right now.');
    await tx
      .update(d)
      .set({ status: 'pending', nextAttemptAt: now })
      .where(and(eq(d.id, id), ne(d.status, 'sending')));
  });
}
