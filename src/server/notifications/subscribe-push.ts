// A device starts or stops following one order. Holding the order's link is the access; nothing
// here says whether the device follows other orders (rows are per order, looked up per order).
import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { countAttempt, isRateLimited, type Limit } from '../ratelimit/rate-limit.ts';
import { schema, transaction } from '../db.ts';
import { parseOrThrow } from '../validate.ts';
import { pushConfig } from './push-config.ts';
import { isAllowedPushEndpoint } from './push-hosts.ts';
import { PushSubscriptionSchema, UnsubscribeSchema } from './subscription-input.ts';

/** Subscription changes per order: plenty for a household's devices, useless for flooding. */
const SUBSCRIBE_LIMIT: Limit = { max: 20, windowMs: 60 * 60_000 };

export interface OrderRef {
  storeId: string;
  orderId: string;
}

/** Stores the device's subscription for the order (once per endpoint); created is false for a repeat. */
export async function subscribePush(opts: { order: OrderRef; input: unknown; now: number }): Promise<{ created: boolean }> {
  const { order, now } = opts;
  const sub = parseOrThrow(PushSubscriptionSchema, opts.input, 'This is not a push subscription this site can use.');
  if (!isAllowedPushEndpoint(sub.endpoint, pushConfig().extraHosts)) {
    throw new AppError('invalid', 'Push updates can only be sent through a browser’s own push service.', [
      { pointer: '/endpoint', detail: 'not a known push service' },
    ]);
  }
  const key = `push-subscribe:${order.orderId}`;
  if (await isRateLimited(key, SUBSCRIBE_LIMIT, now))
    throw new AppError('rate_limited', 'Too many changes to updates for this order. Try again in an hour.');
  await countAttempt(key, SUBSCRIBE_LIMIT, now);
  return transaction(async (tx) => {
    const ps = schema.pushSubscriptions;
    const inserted = await tx
      .insert(ps)
      .values({
        id: newId(),
        storeId: order.storeId,
        orderId: order.orderId,
        endpoint: sub.endpoint,
        p256dh: sub.keys.p256dh,
        auth: sub.keys.auth,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: ps.id });
    if (inserted.length === 0) {
      // The same device again: keep one row, with the keys it has now.
      await tx
        .update(ps)
        .set({ p256dh: sub.keys.p256dh, auth: sub.keys.auth })
        .where(and(eq(ps.orderId, order.orderId), eq(ps.storeId, order.storeId), eq(ps.endpoint, sub.endpoint)));
    }
    return { created: inserted.length > 0 };
  });
}

/** Stops updates of this order to the device; silent when it was not subscribed. */
export async function unsubscribePush(opts: { order: OrderRef; input: unknown }): Promise<void> {
  const { endpoint } = parseOrThrow(UnsubscribeSchema, opts.input, 'Send the endpoint to unsubscribe.');
  const ps = schema.pushSubscriptions;
  await transaction(async (tx) => {
    await tx.delete(ps).where(and(eq(ps.orderId, opts.order.orderId), eq(ps.storeId, opts.order.storeId), eq(ps.endpoint, endpoint)));
  });
}
