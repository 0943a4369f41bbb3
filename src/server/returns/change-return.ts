// What staff and the store's systems do to a return: approve or reject a request under review,
// mark it received, record the outcome. Every change is checked by the state machine against
// where the return stands, and handed with who did it to the caller's ReturnMoved (history, audit,
// messages, pages) in the same transaction.
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../audit/record-audit.ts';
import { firstRow, lockRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { assertMove, isSettled, outcomeFor, releasesRefund } from './return-machine.ts';
import type { MoveStep, ReturnMoved } from './return-move.ts';
import type { ReturnStatus } from './statuses.ts';

export const CHANGES = ['approved', 'rejected', 'received', 'refunded', 'credited', 'exchanged'] as const;
export type ReturnChange = (typeof CHANGES)[number];

/** Applies the change; the same change again is a no-op. Returns the status after. */
export async function changeReturn(o: {
  storeId: string;
  returnId: string;
  to: ReturnChange;
  note?: string | null;
  actor: Actor;
  now: number;
  moved: ReturnMoved;
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
    assertMove({ ...ret, status: from }, o.to, 'staff');
    if (o.to === 'rejected' && !note)
      throw new AppError('invalid', 'Say why the return is rejected', [
        { pointer: '/note', detail: 'Tell the shopper why (they will see it).' },
      ]);
    const steps: MoveStep[] = [{ kind: o.to, actor: o.actor.label, note }];
    let refundReleased = false;
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
      if (releasesRefund(ret, 'received')) {
        const outcome = outcomeFor(ret.resolution);
        Object.assign(set, { status: outcome, refundReleasedAt: o.now, closedAt: o.now });
        steps.push({ kind: outcome, actor: 'policy (released on receipt)' });
        refundReleased = true;
      }
    }
    if (isSettled(o.to)) {
      refundReleased = releasesRefund(ret, 'settled');
      Object.assign(set, {
        refundReleasedAt: ret.refundReleasedAt ?? o.now,
        closedAt: o.now,
        outcomeNote: note,
        receivedAt: ret.receivedAt ?? (from === 'received' ? o.now : null),
      });
    }
    await tx.update(schema.returns).set(set).where(eq(schema.returns.id, ret.id));
    const to = set.status as ReturnStatus;
    await o.moved(tx, {
      storeId: o.storeId,
      orderId: ret.orderId,
      returnId: ret.id,
      policyVersion: ret.policyVersion,
      parcelShipmentId: ret.parcelShipmentId,
      from,
      to,
      steps,
      refundReleased,
      requestedBy: o.actor,
      note,
      now: o.now,
    });
    return to;
  });
}
