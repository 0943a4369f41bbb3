// "A return moved": every consequence of a return changing, in one list, written in the mover's
// transaction. Above the concepts: returns/ reports the move (return-move.ts) and never imports
// this file; pages, API routes and jobs hand returnMoved to the returns use cases they call.
import { and, eq, ne } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { schema, type Tx } from '../db.ts';
import { returnFacts } from '../events/event-facts.ts';
import { recordEvent } from '../events/record-event.ts';
import { newId } from '../ids.ts';
import { queueNotification, type NotificationKind } from '../notifications/queue-notification.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { recordReturnEvent } from '../returns/record-return-event.ts';
import type { ReturnMove } from '../returns/return-move.ts';

/** Records what follows from the move: history, the shopper's messages, staff work, the audit log, the pages. */
export async function returnMoved(tx: Tx, m: ReturnMove): Promise<void> {
  const reached = new Set(m.steps.map((s) => s.kind));
  // 1. The return's history, step by step, with who did it and the policy version it was made under.
  for (const step of m.steps)
    await recordReturnEvent(tx, {
      storeId: m.storeId,
      returnId: m.returnId,
      kind: step.kind,
      actor: step.actor,
      note: step.note ?? null,
      policyVersion: m.policyVersion,
      now: m.now,
    });
  // 2. The shopper hears of the label, the parcel's arrival and the refund (each once, by its key).
  const tell = async (kind: NotificationKind, what: string) =>
    queueNotification(tx, {
      storeId: m.storeId,
      orderId: m.orderId,
      kind,
      returnId: m.returnId,
      key: `return:${m.returnId}:${what}`,
      now: m.now,
    });
  if (reached.has('label_ready')) await tell('return_label_ready', 'label_ready');
  if (reached.has('received')) await tell('return_received', 'received');
  if (m.refundReleased) await tell('refund_released', 'refund_released');
  //    The store's other systems hear of the same steps (events out), each once by its key.
  const events = [
    ...(reached.has('requested') ? (['return.created'] as const) : []),
    ...(reached.has('label_ready') ? (['return.label_ready'] as const) : []),
    ...(m.refundReleased ? (['return.refunded'] as const) : []),
  ];
  if (events.length) {
    const data = await returnFacts(tx, m.storeId, m.returnId);
    if (data)
      for (const type of events)
        await recordEvent(tx, {
          storeId: m.storeId,
          orderId: m.orderId,
          type,
          data,
          dedupeKey: `return:${m.returnId}:${type}`,
          now: m.now,
        });
  }
  // 3. Staff work: a request the store reviews first joins the cases queue; a decided one leaves it.
  if (m.awaitsReview) await openReviewCase(tx, m);
  if (reached.has('approved') || reached.has('rejected')) await closeReviewCase(tx, m.returnId, m.now);
  // 4. A cancelled return's parcel will never move: stop following it.
  if (m.to === 'cancelled' && m.from !== 'cancelled' && m.parcelShipmentId)
    await tx.update(schema.shipments).set({ nextSyncAt: null, status: 'cancelled' }).where(eq(schema.shipments.id, m.parcelShipmentId));
  // 5. What a person or the store's systems did is audited.
  if (m.requestedBy)
    await recordAudit(tx, {
      storeId: m.storeId,
      actor: m.requestedBy,
      action: `return.${m.steps[0]?.kind ?? m.to}`,
      detail: { returnId: m.returnId, from: m.from, to: m.to, note: m.note, policyVersion: m.policyVersion },
      now: m.now,
    });
  // 6. The shopper's pages show it at once.
  await recordPageChange(tx, m.storeId, m.orderId, m.now);
}

async function openReviewCase(tx: Tx, m: ReturnMove): Promise<void> {
  await tx
    .insert(schema.cases)
    .values({
      id: newId(),
      storeId: m.storeId,
      orderId: m.orderId,
      shipmentId: null,
      source: 'return',
      kind: 'return_review',
      message: 'A return request is waiting for approval.',
      status: 'open',
      dedupeKey: `return:${m.returnId}:review`,
      createdAt: m.now,
      updatedAt: m.now,
    })
    .onConflictDoNothing();
}

async function closeReviewCase(tx: Tx, returnId: string, now: number): Promise<void> {
  await tx
    .update(schema.cases)
    .set({ status: 'resolved', resolvedAt: now, updatedAt: now })
    .where(and(eq(schema.cases.dedupeKey, `return:${returnId}:review`), ne(schema.cases.status, 'resolved')));
}
