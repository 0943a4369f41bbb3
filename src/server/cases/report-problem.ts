// A shopper reports a problem with a parcel from the order page. A person at the store handles
// it: this opens (or adds to) a case; nothing automatic pretends to be that person.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { db, firstRow, lockRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import type { OrderView } from '../orders/load-order.ts';
import { parseOrThrow } from '../validate.ts';
import { openCase } from './open-case.ts';

export const PROBLEM_KINDS = ['damaged', 'missing_item', 'wrong_item', 'not_received'] as const;

const ProblemSchema = z.object({
  shipment: z.string().trim().min(1, 'choose the parcel'),
  kind: z.enum(PROBLEM_KINDS, 'choose what went wrong'),
  message: z.string().trim().max(2000, 'at most 2,000 characters').default(''),
});

/** Opens a case for the order's parcel; returns the parcel's tracking code. */
export async function reportProblem(opts: {
  order: OrderView;
  input: unknown;
  now: number;
}): Promise<{ trackingCode: string; caseId: string }> {
  const input = parseOrThrow(ProblemSchema, opts.input, 'The problem report is not complete');
  const shipment = opts.order.shipments.find((s) => s.trackingCode === input.shipment);
  if (!shipment)
    throw new AppError('invalid', 'That parcel is not part of this order', [
      { pointer: '/shipment', detail: 'not a parcel of this order' },
    ]);
  const exists = await firstRow(
    db()
      .select({ id: schema.shipments.id })
      .from(schema.shipments)
      .where(and(eq(schema.shipments.id, shipment.id), eq(schema.shipments.storeId, opts.order.storeId))),
  );
  if (!exists) throw new AppError('not_found', 'Parcel not found');
  const caseId = await transaction(async (tx) => {
    // An open case of the same kind takes the new words: read, then appended.
    await lockRow(tx, schema.shipments, shipment.id);
    const c = await openCase(tx, {
      storeId: opts.order.storeId,
      orderId: opts.order.id,
      shipmentId: shipment.id,
      source: 'problem_report',
      kind: input.kind,
      message: input.message || null,
      now: opts.now,
    });
    await recordPageChange(tx, opts.order.storeId, opts.order.id, opts.now);
    return c.id;
  });
  return { trackingCode: shipment.trackingCode, caseId };
}
