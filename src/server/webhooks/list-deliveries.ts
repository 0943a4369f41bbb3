// What every endpoint was sent: each delivery with its request, the last answer and its timing,
// and every attempt it kept (the last 20: what was sent, what came back), newest first; and "send
// again", which queues the same delivery (same webhook-id) at once, one more attempt.
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';

const d = schema.webhookDeliveries;
const at = schema.webhookDeliveryAttempts;

/** One attempt of a delivery, as the API and the back office show it. */
export interface AttemptJson {
  attempt: number;
  webhookId: string;
  url: string;
  /** The request headers, credentials masked. */
  requestHeaders: Record<string, string>;
  /** SHA-256 (hex) of the body sent. */
  bodySha256: string;
  startedAt: string;
  durationMs: number | null;
  status: number | null;
  /** The start of the answer's body (at most 2 KB). */
  answer: string | null;
  error: string | null;
}

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
  /** The attempts kept (the last 20), newest first. */
  attemptHistory: AttemptJson[];
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
  const history = await attemptsOf(
    storeId,
    rows.map((r) => r.id),
  );
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
    attemptHistory: history.get(r.id) ?? [],
  }));
}

/** The kept attempts of these deliveries, newest first, by delivery. */
export async function attemptsOf(storeId: string, deliveryIds: string[]): Promise<Map<string, AttemptJson[]>> {
  const out = new Map<string, AttemptJson[]>();
  if (deliveryIds.length === 0) return out;
  const rows = await db()
    .select()
    .from(at)
    .where(and(eq(at.storeId, storeId), inArray(at.deliveryId, deliveryIds)))
    .orderBy(desc(at.attempt));
  for (const r of rows) {
    const list = out.get(r.deliveryId) ?? [];
    list.push({
      attempt: r.attempt,
      webhookId: r.webhookId,
      url: r.url,
      requestHeaders: r.requestHeaders,
      bodySha256: r.bodySha256,
      startedAt: iso(r.startedAt)!,
      durationMs: r.durationMs,
      status: r.status,
      answer: r.answer,
      error: r.error,
    });
    out.set(r.deliveryId, list);
  }
  return out;
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
