// A shopper starts a warranty claim from a registered product on the order page. A person at the
// store decides it: this opens a case with the registration attached (product, serial, delivery
// day, warranty end), never an automatic answer. Refused once the warranty has ended.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { dayInZone } from '../../lib/dates.ts';
import { openCase } from '../cases/open-case.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import type { OrderView } from '../orders/load-order.ts';
import { recordPageChange } from '../pagecache/record-change.ts';

const CLAIM_MAX = 2000;

const ClaimSchema = z.object({
  registration: z.string().trim().min(1).max(64),
  message: z.string().trim().min(1, 'say what is wrong').max(CLAIM_MAX, `at most ${CLAIM_MAX} characters`),
});

/** Opens (or adds to) the warranty claim case of the order's registration; returns the case and the registration's SKU. */
export async function startWarrantyClaim(opts: {
  order: OrderView;
  input: unknown;
  now: number;
}): Promise<{ caseId: string; sku: string }> {
  const parsed = ClaimSchema.safeParse(opts.input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'message');
    throw new AppError('invalid', 'The claim cannot be started', [
      { pointer: `/${field}`, detail: issue.message, code: field === 'registration' ? 'claimRegistration' : 'claimMessage' },
    ]);
  }
  const { order, now } = opts;
  const r = schema.registrations;
  const registration = await firstRow(
    db()
      .select({ id: r.id, sku: r.sku, warrantyEndsOn: r.warrantyEndsOn })
      .from(r)
      .where(and(eq(r.storeId, order.storeId), eq(r.orderId, order.id), eq(r.id, parsed.data.registration))),
  );
  if (!registration)
    throw new AppError('invalid', 'The claim cannot be started', [
      { pointer: '/registration', detail: 'not a registration of this order', code: 'claimRegistration' },
    ]);
  if (registration.warrantyEndsOn < dayInZone(now, order.timeZone))
    throw new AppError('invalid', 'The claim cannot be started', [
      { pointer: '/registration', detail: 'the warranty has ended', code: 'claimEnded', values: { sku: registration.sku } },
    ]);
  const caseId = await transaction(async (tx) => {
    const c = await openCase(tx, {
      storeId: order.storeId,
      orderId: order.id,
      shipmentId: null,
      source: 'warranty',
      kind: 'warranty_claim',
      message: parsed.data.message,
      registrationId: registration.id,
      now,
    });
    await recordPageChange(tx, order.storeId, order.id, now);
    return c.id;
  });
  return { caseId, sku: registration.sku };
}
