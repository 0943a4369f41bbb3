// A shopper writes (or edits) reviews of an order's delivered products through the order link.
// Holding the link is what makes the writer a verified buyer. A low rating or a problem in the
// text also opens a case for a person, beside the review and never instead of it.
import { eq } from 'drizzle-orm';
import { recordReviewPublished } from '../events/record-review-published.ts';
import { openCase } from '../cases/open-case.ts';
import { firstRow, lockRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { OrderView } from '../orders/load-order.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { countAttemptInTx, isRateLimited } from '../ratelimit/rate-limit.ts';
import type { Store } from '../stores/store.ts';
import { needsFollowUp } from './detect-problem.ts';
import { defaultDisplayName } from './display-name.ts';
import { listReviewableProducts } from './list-reviewable-products.ts';
import { initialPublication } from './publication.ts';
import { HONEYPOT_FIELD, readReviewInput } from './review-input.ts';

const DAY = 86_400_000;
/** Submissions per order per day: plenty for a person correcting a typo, useless to a flood. */
const SUBMISSIONS_PER_ORDER_PER_DAY = 12;
const SUBMISSION_LIMIT = { max: SUBMISSIONS_PER_ORDER_PER_DAY, windowMs: DAY };
const rateKey = (orderId: string) => `review:${orderId}`;
const tooMany = () => new AppError('rate_limited', 'Too many review submissions for this order today');

export interface SubmitResult {
  saved: number;
  /** A case was opened or added to: the shopper is told someone will be in touch. */
  followUp: boolean;
}

/** Saves the posted reviews; throws 'invalid' (nothing saved), 'not_found' or 'rate_limited'. */
export async function submitReview(opts: {
  store: Store;
  order: OrderView;
  fields: Record<string, string>;
  now: number;
  returnedSkus?: (o: { storeId: string; orderId: string }) => Promise<Set<string>>;
}): Promise<SubmitResult> {
  const { store, order, now } = opts;
  // A robot filled the field people never see: answer as if saved, keep nothing.
  if ((opts.fields[HONEYPOT_FIELD] ?? '').trim() !== '') return { saved: 0, followUp: false };
  // Only saved submissions count (inside the saving transaction below), so refused junk cannot use
  // up a shopper's edits; this early look spares the work once the day's limit is reached.
  if (await isRateLimited(rateKey(order.id), SUBMISSION_LIMIT, now)) throw tooMany();
  const products = await listReviewableProducts({ storeId: store.id, orderId: order.id, returnedSkus: opts.returnedSkus });
  if (products.length === 0) throw new AppError('not_found', 'Nothing on this order can be reviewed yet');
  const input = readReviewInput(
    opts.fields,
    products.map((p) => p.productId),
  );
  const closed = input.products.filter((i) => {
    const r = products.find((p) => p.productId === i.productId)!.review;
    return r !== null && r.editableUntil < now;
  });
  if (closed.length)
    throw new AppError(
      'invalid',
      'The review could not be saved',
      closed.map((c) => ({ pointer: `/rating/${c.productId}`, detail: 'This review can no longer be edited', code: 'closed' })),
    );
  const policy = store.settings.reviews;

  return transaction(async (tx) => {
    await lockRow(tx, schema.orders, order.id);
    if ((await countAttemptInTx(tx, rateKey(order.id), SUBMISSION_LIMIT, now)) > SUBMISSIONS_PER_ORDER_PER_DAY) throw tooMany();
    // The policy version in force, so a review can name the rules it was published under.
    const policyVersion =
      (await firstRow(tx.select({ v: schema.stores.policyVersion }).from(schema.stores).where(eq(schema.stores.id, store.id))))?.v ?? 1;
    let followUp = false;
    for (const i of input.products) {
      const p = products.find((x) => x.productId === i.productId)!;
      const existing = p.review;
      const displayName = input.name || existing?.displayName || defaultDisplayName(order.customerName);
      const check = needsFollowUp(i.rating, `${i.title}\n${i.body}`);
      let caseId = existing?.caseId ?? null;
      if (check.yes) {
        followUp = true;
        const words = [`${p.title}: ${i.rating} of 5 stars (${check.reasons.join(', ')})`, i.title, i.body].filter(Boolean).join('\n');
        caseId = (
          await openCase(tx, {
            storeId: store.id,
            orderId: order.id,
            shipmentId: null,
            source: 'review',
            kind: 'low_rating',
            message: words,
            now,
          })
        ).id;
      }
      const content = { rating: i.rating, title: i.title || null, body: i.body || null, displayName, caseId, updatedAt: now };
      if (existing) {
        // An edit keeps its place, except that a rejected review edited is looked at afresh.
        const again = existing.status === 'rejected' ? { ...initialPublication(policy, now), rejectReason: null } : {};
        await tx
          .update(schema.reviews)
          .set({ ...content, ...again })
          .where(eq(schema.reviews.id, existing.id));
        if ('status' in again && again.status === 'published') await recordReviewPublished(tx, store.id, existing.id, now);
      } else {
        const id = newId();
        const publication = initialPublication(policy, now);
        await tx.insert(schema.reviews).values({
          id,
          storeId: store.id,
          orderId: order.id,
          productId: p.productId,
          skus: p.skus,
          productTitle: p.title,
          productImageUrl: p.imageUrl,
          ...content,
          ...publication,
          editableUntil: now + policy.editWindowDays * DAY,
          policyVersion,
          createdAt: now,
        });
        if (publication.status === 'published') await recordReviewPublished(tx, store.id, id, now);
      }
    }
    await recordPageChange(tx, store.id, order.id, now);
    return { saved: input.products.length, followUp };
  });
}
