// What staff and the store's systems do to a return: approve or reject a request under review,
// mark it received, record the outcome. Every change is checked against where the return stands,
// recorded in its history and the audit log with who did it and the policy version it was made
// under, and shown to the shopper at once (page change, notifications).
import { and, eq, ne } from 'drizzle-orm';
import type { Actor } from '../audit/record-audit.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { firstRow, lockRow, schema, transaction, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { queueNotification } from '../notifications/queue-notification.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { recordReturnEvent } from './record-return-event.ts';
import { allowedOutcomes, OUTCOME_STATUSES, STATUS_WORDS, type ReturnStatus } from './statuses.ts';

const RESOLUTION_WORDS: Record<string, string> = { refund: 'a refund', store_credit: 'store credit', exchange: 'an exchange' };

export const CHANGES = ['approved', 'rejected', 'received', 'refunded', 'credited', 'exchanged'] as const;
export type ReturnChange = (typeof CHANGES)[number];

const FROM: Record<ReturnChange, readonly ReturnStatus[]> = {
  approved: ['requested'],
  rejected: ['requested', 'approved', 'received'],
  received: ['label_ready', 'in_transit'],
  refunded: ['label_ready', 'in_transit', 'received'],
  credited: ['label_ready', 'in_transit', 'received'],
  exchanged: ['label_ready', 'in_transit', 'received'],
};

/** Applies the change; the same change again is a no-op. Returns the status after. */
export async function changeReturn(o: {
  storeId: string;
  returnId: string;
  to: ReturnChange;
  note?: string | null;
  actor: Actor;
  now: number;
}): Promise<ReturnStatus> {
  const note = o.note?.trim().slice(0, 2000) || null;
  return transaction(async (tx) => {
    await lockRow(tx, schema.returns, o.returnId);
    const ret = await firstRow(
      tx
        .select()
        .from(schema.returns)
        .where(and(eq(schema.returns.id, o.returnId), eq(schema.returns.storeId, o.storeId))),
    );
    if (!ret) throw new AppError('not_found', 'No such return');
    const from = ret.status as ReturnStatus;
    if (from === o.to) return from;
    if (o.to === 'approved' && (!ret.needsReview || ret.approvedAt !== null)) throw conflict(from, o.to);
    if (!FROM[o.to].includes(from)) throw conflict(from, o.to);
    if ((OUTCOME_STATUSES as readonly string[]).includes(o.to) && !allowedOutcomes(ret.resolution).includes(o.to))
      throw new AppError(
        'conflict',
        `A return for ${RESOLUTION_WORDS[ret.resolution] ?? ret.resolution} cannot be marked "${STATUS_WORDS[o.to]}"`,
        [{ pointer: '/status', detail: `one of ${allowedOutcomes(ret.resolution).join(', ')} for this return` }],
      );
    if (o.to === 'rejected' && !note)
      throw new AppError('invalid', 'Say why the return is rejected', [
        { pointer: '/note', detail: 'Tell the shopper why (they will see it).' },
      ]);
    const set: Partial<typeof schema.returns.$inferInsert> = { status: o.to, updatedAt: o.now };
    if (o.to === 'approved') Object.assign(set, { approvedAt: o.now, labelState: 'pending', labelNextAttemptAt: o.now });
    if (o.to === 'rejected')
      Object.assign(set, {
        rejectedReason: note,
        closedAt: o.now,
        labelState: ret.labelState === 'pending' || ret.labelState === 'failed' ? 'none' : ret.labelState,
      });
    if (o.to === 'received') {
      set.receivedAt = ret.receivedAt ?? o.now;
      await queueNotification(tx, {
        storeId: o.storeId,
        orderId: ret.orderId,
        kind: 'return_received',
        returnId: ret.id,
        key: `return:${ret.id}:received`,
        now: o.now,
      });
      // A store that releases on delivery releases when it records the parcel as received.
      if (ret.refundReleasedOn !== 'inspected' && ret.refundReleasedAt === null) {
        const outcome = ret.resolution === 'store_credit' ? 'credited' : ret.resolution === 'exchange' ? 'exchanged' : 'refunded';
        Object.assign(set, { status: outcome, refundReleasedAt: o.now, closedAt: o.now });
        await queueNotification(tx, {
          storeId: o.storeId,
          orderId: ret.orderId,
          kind: 'refund_released',
          returnId: ret.id,
          key: `return:${ret.id}:refund_released`,
          now: o.now,
        });
      }
    }
    if ((OUTCOME_STATUSES as readonly string[]).includes(o.to)) {
      Object.assign(set, {
        refundReleasedAt: ret.refundReleasedAt ?? o.now,
        closedAt: o.now,
        outcomeNote: note,
        receivedAt: ret.receivedAt ?? (from === 'received' ? o.now : null),
      });
      if (ret.refundReleasedAt === null)
        await queueNotification(tx, {
          storeId: o.storeId,
          orderId: ret.orderId,
          kind: 'refund_released',
          returnId: ret.id,
          key: `return:${ret.id}:refund_released`,
          now: o.now,
        });
    }
    await tx.update(schema.returns).set(set).where(eq(schema.returns.id, ret.id));
    const base = { storeId: o.storeId, returnId: ret.id, actor: o.actor.label, policyVersion: ret.policyVersion, now: o.now };
    await recordReturnEvent(tx, { ...base, kind: o.to, note });
    if (set.status !== o.to) await recordReturnEvent(tx, { ...base, kind: set.status!, actor: 'policy (released on receipt)' });
    if (o.to === 'approved' || o.to === 'rejected') await closeReviewCase(tx, ret.id, o.now);
    await recordAudit(tx, {
      storeId: o.storeId,
      actor: o.actor,
      action: `return.${o.to}`,
      detail: { returnId: ret.id, from, to: set.status, note, policyVersion: ret.policyVersion },
      now: o.now,
    });
    await recordPageChange(tx, o.storeId, ret.orderId, o.now);
    return set.status as ReturnStatus;
  });
}

function conflict(from: ReturnStatus, to: ReturnChange): AppError {
  return new AppError('conflict', `A return that is "${STATUS_WORDS[from]}" cannot be marked "${STATUS_WORDS[to]}"`, [
    { pointer: '/status', detail: `not possible from ${from}` },
  ]);
}

async function closeReviewCase(tx: Tx, returnId: string, now: number): Promise<void> {
  await tx
    .update(schema.cases)
    .set({ status: 'resolved', resolvedAt: now, updatedAt: now })
    .where(and(eq(schema.cases.dedupeKey, `return:${returnId}:review`), ne(schema.cases.status, 'resolved')));
}
