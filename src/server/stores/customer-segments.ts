// The store's customer segments (issue #15): who counts as VIP, by how often they order or how much
// they spend. first_time and repeat need no setting. Part of the store document (`customers`).
import { z } from 'zod';
import { wholeNumber } from '../policies/whole-number.ts';

export const CustomerSegmentsSchema = z.object({
  /** Orders from which a customer is VIP; null (the default): not by frequency. */
  vipOrders: wholeNumber(2, 1000).nullable().default(null),
  /** Spend (minor units, in `currency`) from which a customer is VIP; null (the default): not by spend. */
  vipSpend: z
    .strictObject({
      amount: z.int('a whole number of minor units').min(1).max(1e12),
      currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
    })
    .nullable()
    .default(null),
});
export type CustomerSegments = z.infer<typeof CustomerSegmentsSchema>;

export type Segment = 'first_time' | 'repeat' | 'vip';

/** first_time (one order) or repeat (more), and vip when the store's frequency or spend rule is met. */
export function segmentsOf(rules: CustomerSegments, orders: number, spend: { currency: string; amount: number }[]): Segment[] {
  const s: Segment[] = [orders <= 1 ? 'first_time' : 'repeat'];
  const byOrders = rules.vipOrders !== null && orders >= rules.vipOrders;
  const bySpend =
    rules.vipSpend !== null && spend.some((x) => x.currency === rules.vipSpend!.currency && x.amount >= rules.vipSpend!.amount);
  if (byOrders || bySpend) s.push('vip');
  return s;
}
