// The shopper's look-up: order number plus email or postal code. A missing order and a wrong
// contact give the same answer, and failures from one client are rate-limited, so order numbers
// cannot be enumerated.
import { and, eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { countAttempt, isRateLimited, type Limit } from '../ratelimit/rate-limit.ts';
import { safeEqual } from '../security/keys.ts';
import type { Store } from '../stores/store.ts';
import { systemClock, type Clock } from '../clock.ts';
import { normalizeEmail, normalizeOrderNumber, normalizePostalCode } from './normalize.ts';
import { createOrderToken } from './order-token.ts';

export const LOOKUP_LIMIT: Limit = { max: 8, windowMs: 15 * 60_000 };

export type LookupResult = { ok: true; token: string } | { ok: false; reason: 'no_match' | 'rate_limited' | 'incomplete' };

/** Finds the order for what the shopper typed; `client` identifies the caller for rate limiting. */
export async function lookupOrder(opts: {
  store: Store;
  order: string;
  contact: string;
  client: string;
  clock?: Clock;
}): Promise<LookupResult> {
  const now = (opts.clock ?? systemClock).now();
  const key = `lookup:${opts.store.id}:${opts.client}`;
  if (await isRateLimited(key, LOOKUP_LIMIT, now)) return { ok: false, reason: 'rate_limited' };
  const number = normalizeOrderNumber(opts.order);
  const contact = opts.contact.trim();
  if (!number || !contact || number.length > 64 || contact.length > 254) return { ok: false, reason: 'incomplete' };

  // A NUL byte is in no stored order number, and PostgreSQL refuses text holding one: no match.
  const row = number.includes('\u0000')
    ? undefined
    : await firstRow(
        db()
          .select({ accessId: schema.orders.accessId, emailNorm: schema.orders.emailNorm, postalNorm: schema.orders.postalNorm })
          .from(schema.orders)
          .where(and(eq(schema.orders.storeId, opts.store.id), eq(schema.orders.numberNorm, number))),
      );
  const matches = contact.includes('@')
    ? safeEqual(row?.emailNorm ?? '\u0000', normalizeEmail(contact))
    : safeEqual(row?.postalNorm ?? '\u0000', normalizePostalCode(contact));
  if (row && matches) return { ok: true, token: createOrderToken(opts.store.id, row.accessId) };
  const attempts = await countAttempt(key, LOOKUP_LIMIT, now);
  return { ok: false, reason: attempts > LOOKUP_LIMIT.max ? 'rate_limited' : 'no_match' };
}
