// Confirming a return: one transaction decides again under the write lock (so two tabs or a double
// click cannot return the same unit twice), records the return under the policy version in force
// and, when the store approves at once, marks its label due. The same key again answers with the
// same return and writes nothing.
import { and, eq } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { firstRow, isUniqueViolation, lockRow, schema, transaction, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId, randomToken } from '../ids.ts';
import { availableVariants } from '../products/exchange-variants.ts';
import { decideForOrder } from './decide-for-order.ts';
import { quoteReturn } from './quote.ts';
import { readReturnRequest, type FormFields } from './read-return-request.ts';
import { FIRST_STATUS } from './return-machine.ts';
import type { ReturnMoved } from './return-move.ts';

export interface CheckedPhoto {
  bytes: Buffer;
  type: string;
}

export interface CreatedReturn {
  id: string;
  accessId: string;
  created: boolean;
  labelDue: boolean;
}

/** Creates the return the form asks for, or returns the one this key already made. */
export async function createReturn(opts: {
  storeId: string;
  orderId: string;
  fields: FormFields;
  photos?: Map<string, CheckedPhoto>;
  now: number;
  /** What follows a return's first steps (src/server/changes/return-moved.ts). */
  moved: ReturnMoved;
}): Promise<CreatedReturn> {
  const { storeId, orderId, now } = opts;
  const key = typeof opts.fields.key === 'string' ? opts.fields.key.trim() : '';
  try {
    return await transaction(async (tx) => {
      // What may still be returned is read from the order's returns so far, then a return is added.
      await lockRow(tx, schema.orders, orderId);
      const existing = await byKey(tx, storeId, key);
      if (existing) return existing;
      const d = await decideForOrder(tx, { storeId, orderId, now });
      if (!d) throw new AppError('not_found', 'No such order');
      const variants = await availableVariants(tx, storeId, [...new Set(d.items.map((i) => i.productId))]);
      const photoBytes = opts.photos && new Map([...opts.photos].map(([sku, p]) => [sku, p.bytes as Uint8Array]));
      const req = readReturnRequest(opts.fields, d, variants, { requireKey: true, photos: photoBytes });
      if (d.capReached)
        throw new AppError('invalid', 'Return limit reached', [
          {
            pointer: '',
            detail: `You have reached this store's limit of ${d.policy.maxReturnsPer90Days} returns in 90 days. Please contact the store.`,
            code: 'capReached',
            values: { max: d.policy.maxReturnsPer90Days ?? 0 },
          },
        ]);
      const quote = quoteReturn(d.policy, req.lines, req.resolution);
      const id = newId();
      const accessId = randomToken(16);
      const review = d.policy.approval === 'review';
      await tx.insert(schema.returns).values({
        id,
        storeId,
        orderId,
        accessId,
        idempotencyKey: req.key,
        status: FIRST_STATUS,
        resolution: req.resolution,
        emailNorm: d.order.emailNorm,
        currency: d.order.currency,
        ...quote,
        policyVersion: d.policyVersion,
        refundReleasedOn: d.policy.refundReleasedOn,
        needsReview: review,
        approvedAt: review ? null : now,
        labelState: review ? 'none' : 'pending',
        labelNextAttemptAt: review ? null : now,
        createdAt: now,
        updatedAt: now,
      });
      for (const line of req.lines) {
        const photo = opts.photos?.get(line.sku);
        await tx.insert(schema.returnItems).values({
          id: newId(),
          storeId,
          returnId: id,
          orderId,
          sku: line.sku,
          productId: line.productId,
          title: line.title,
          quantity: line.quantity,
          unitAmount: line.unitAmount,
          reason: line.reason,
          note: line.note,
          photoAssetId: photo ? await insertPhoto(tx, storeId, photo, now) : null,
          exchangeSku: line.exchangeSku,
        });
      }
      // A new return is a move too: its first steps, and what follows (a case when staff decide).
      await opts.moved(tx, {
        storeId,
        orderId,
        returnId: id,
        policyVersion: d.policyVersion,
        parcelShipmentId: null,
        from: FIRST_STATUS,
        to: FIRST_STATUS,
        steps: review
          ? [{ kind: 'requested', actor: 'shopper' }]
          : [
              { kind: 'requested', actor: 'shopper' },
              { kind: 'approved', actor: 'policy (approved at once)' },
            ],
        refundReleased: false,
        requestedBy: null,
        note: null,
        awaitsReview: review,
        now,
      });
      return { id, accessId, created: true, labelDue: !review };
    });
  } catch (err) {
    // Another instance inserted the same key between our check and our insert: answer with its return.
    if (isUniqueViolation(err)) {
      const again = await transaction((tx) => byKey(tx, storeId, key));
      if (again) return again;
    }
    throw err;
  }
}

async function byKey(tx: Tx, storeId: string, key: string): Promise<CreatedReturn | null> {
  if (!key) return null;
  const row = await firstRow(
    tx
      .select({ id: schema.returns.id, accessId: schema.returns.accessId, labelState: schema.returns.labelState })
      .from(schema.returns)
      .where(and(eq(schema.returns.storeId, storeId), eq(schema.returns.idempotencyKey, key))),
  );
  return row
    ? { id: row.id, accessId: row.accessId, created: false, labelDue: row.labelState === 'pending' || row.labelState === 'failed' }
    : null;
}

async function insertPhoto(tx: Tx, storeId: string, photo: CheckedPhoto, now: number): Promise<string> {
  const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
  const id = createHash('sha256').update(`${storeId}:${sha256}`).digest('hex').slice(0, 32);
  await tx
    .insert(schema.storeAssets)
    .values({ id, storeId, contentType: photo.type, bytes: photo.bytes, sha256, createdAt: now })
    .onConflictDoNothing();
  return id;
}
