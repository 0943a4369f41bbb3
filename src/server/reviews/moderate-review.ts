// Staff decisions on a review: publish, reject for a stated content reason, reply publicly as
// the store. Every decision is audited with its reason. There is no "hide" without a reason and
// no reason about the rating: the reasons are about content and apply to every rating alike.
import { and, eq } from 'drizzle-orm';
import { recordReviewPublished } from '../events/record-review-published.ts';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { firstRow, lockRow, schema, transaction, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { parseOrThrow } from '../validate.ts';
import { REJECT_REASONS } from './publication.ts';

const Decision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('publish') }),
  z.object({ action: z.literal('reject'), reason: z.enum(REJECT_REASONS, 'choose a reason from the list') }),
  z.object({ action: z.literal('reply'), reply: z.string().trim().max(2000, 'at most 2,000 characters') }),
]);

async function reviewForUpdate(tx: Tx, storeId: string, id: string) {
  await lockRow(tx, schema.reviews, id);
  const r = await firstRow(
    tx
      .select()
      .from(schema.reviews)
      .where(and(eq(schema.reviews.id, id), eq(schema.reviews.storeId, storeId))),
  );
  if (!r) throw new AppError('not_found', 'Review not found');
  return r;
}

/** Applies one staff decision to the store's review; returns what it did. */
export async function moderateReview(opts: {
  storeId: string;
  reviewId: string;
  input: unknown;
  actor: Actor;
  now: number;
}): Promise<{ action: string; changed: boolean }> {
  const d = parseOrThrow(Decision, opts.input, 'The decision is not complete');
  const { now } = opts;
  return transaction(async (tx) => {
    const r = await reviewForUpdate(tx, opts.storeId, opts.reviewId);
    const detail = { reviewId: r.id, productId: r.productId, rating: r.rating, from: r.status };
    let changed = true;
    if (d.action === 'publish') {
      if (r.status === 'published') changed = false;
      else
        await tx
          .update(schema.reviews)
          .set({ status: 'published', publishAt: null, publishedAt: now, rejectReason: null, updatedAt: now })
          .where(eq(schema.reviews.id, r.id));
      if (changed)
        await recordAudit(tx, {
          storeId: opts.storeId,
          actor: opts.actor,
          action: 'review.published',
          detail: { ...detail, reason: 'staff published' },
          now,
        });
      if (changed) await recordReviewPublished(tx, opts.storeId, r.id, now);
    } else if (d.action === 'reject') {
      if (r.status === 'rejected' && r.rejectReason === d.reason) changed = false;
      else
        await tx
          .update(schema.reviews)
          .set({ status: 'rejected', rejectReason: d.reason, publishAt: null, publishedAt: null, updatedAt: now })
          .where(eq(schema.reviews.id, r.id));
      if (changed)
        await recordAudit(tx, {
          storeId: opts.storeId,
          actor: opts.actor,
          action: 'review.rejected',
          detail: { ...detail, reason: d.reason },
          now,
        });
    } else {
      const reply = d.reply || null;
      if (reply === r.reply) changed = false;
      else
        await tx
          .update(schema.reviews)
          .set({ reply, repliedAt: reply ? now : null, updatedAt: now })
          .where(eq(schema.reviews.id, r.id));
      if (changed)
        await recordAudit(tx, {
          storeId: opts.storeId,
          actor: opts.actor,
          action: reply ? 'review.replied' : 'review.reply_removed',
          detail: { ...detail, reply },
          now,
        });
    }
    if (changed) await recordPageChange(tx, opts.storeId, r.orderId, now);
    return { action: d.action, changed };
  });
}
