// The shopper answers the check-in from the order page. `all_good` is kept for the store's
// figures; `problem` opens a case for a person (with the order attached, as every case has).
// The first answer stands: answering again changes nothing and opens no second case (the parcel's
// "Something wrong with this parcel?" form stays there for anything found later).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { firstRow, lockRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { openCase } from '../cases/open-case.ts';
import type { OrderView } from '../orders/load-order.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { parseOrThrow } from '../validate.ts';

const CHECKIN_ANSWERS = ['all_good', 'problem'] as const;
type CheckinAnswer = (typeof CHECKIN_ANSWERS)[number];

const CheckinSchema = z.object({
  shipment: z.string().trim().min(1, 'choose the parcel'),
  answer: z.enum(CHECKIN_ANSWERS, 'answer all_good or problem'),
  message: z.string().trim().max(2000, 'at most 2,000 characters').default(''),
});

export interface CheckinOutcome {
  trackingCode: string;
  /** The answer that stands (the first one given). */
  answer: CheckinAnswer;
  /** The case a problem opened, or null. */
  caseId: string | null;
}

/** Records the shopper's answer for a delivered parcel of the order; a problem opens a case. */
export async function answerCheckin(opts: { order: OrderView; input: unknown; now: number }): Promise<CheckinOutcome> {
  const input = parseOrThrow(CheckinSchema, opts.input, 'The check-in answer is not complete');
  const { order, now } = opts;
  const parcel = order.shipments.find((s) => s.trackingCode === input.shipment);
  if (!parcel)
    throw new AppError('invalid', 'That parcel is not part of this order', [
      { pointer: '/shipment', detail: 'not a parcel of this order' },
    ]);
  if (parcel.status !== 'delivered' || parcel.deliveredAt === null)
    throw new AppError('invalid', 'That parcel has not been delivered yet', [
      { pointer: '/shipment', detail: 'not delivered yet', code: 'notDelivered' },
    ]);
  return transaction(async (tx) => {
    await lockRow(tx, schema.shipments, parcel.id);
    const existing = await firstRow(
      tx
        .select()
        .from(schema.checkins)
        .where(and(eq(schema.checkins.shipmentId, parcel.id), eq(schema.checkins.storeId, order.storeId))),
    );
    if (existing?.answer) return { trackingCode: parcel.trackingCode, answer: existing.answer as CheckinAnswer, caseId: existing.caseId };
    let caseId: string | null = null;
    if (input.answer === 'problem') {
      const opened = await openCase(tx, {
        storeId: order.storeId,
        orderId: order.id,
        shipmentId: parcel.id,
        source: 'checkin',
        kind: 'checkin_problem',
        message: input.message || null,
        now,
      });
      caseId = opened.id;
    }
    const answer = { answer: input.answer, message: input.message || null, caseId, answeredAt: now };
    if (existing) await tx.update(schema.checkins).set(answer).where(eq(schema.checkins.id, existing.id));
    else
      await tx.insert(schema.checkins).values({
        id: newId(),
        storeId: order.storeId,
        orderId: order.id,
        shipmentId: parcel.id,
        askedAt: null,
        skipped: null,
        createdAt: now,
        ...answer,
      });
    await recordPageChange(tx, order.storeId, order.id, now);
    return { trackingCode: parcel.trackingCode, answer: input.answer, caseId };
  });
}
