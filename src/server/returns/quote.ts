// What a return costs and what the shopper gets back: the return shipping fee and the restocking
// fee (each waived when every line's reason is one the store waives fees for, e.g. damaged), and
// the store-credit bonus. Pure; money in the currency's minor unit.
import type { ReturnsPolicy } from '../policies/returns-policy.ts';

export type Resolution = 'refund' | 'store_credit' | 'exchange';
const RESOLUTIONS: readonly Resolution[] = ['refund', 'store_credit', 'exchange'];

export interface QuoteLine {
  quantity: number;
  unitAmount: number;
  reason: string;
}

export interface Quote {
  itemsAmount: number;
  shippingFee: number;
  restockingFee: number;
  creditBonus: number;
  /** Refund or credit the shopper receives (0 for an exchange: they get the new variant). */
  totalBack: number;
}

/** The resolutions the policy offers, in the order shoppers see them. */
export function offeredResolutions(policy: ReturnsPolicy): Resolution[] {
  const r = policy.resolutions;
  return RESOLUTIONS.filter((x) => (x === 'refund' ? r.refund : x === 'store_credit' ? r.storeCredit : r.exchange));
}

/** The fees and amounts for these lines and this resolution. */
export function quoteReturn(policy: ReturnsPolicy, lines: QuoteLine[], resolution: Resolution): Quote {
  const waived = new Set(policy.feeWaivedReasons);
  const itemsAmount = lines.reduce((n, l) => n + l.quantity * l.unitAmount, 0);
  if (resolution === 'exchange') return { itemsAmount, shippingFee: 0, restockingFee: 0, creditBonus: 0, totalBack: 0 };
  const chargeable = lines.filter((l) => !waived.has(l.reason)).reduce((n, l) => n + l.quantity * l.unitAmount, 0);
  const shippingFee = chargeable > 0 ? Math.min(policy.shippingFee, chargeable) : 0;
  const restockingFee = Math.min(Math.round((chargeable * policy.restockingFeePercent) / 100), chargeable - shippingFee);
  const net = Math.max(0, itemsAmount - shippingFee - restockingFee);
  const creditBonus = resolution === 'store_credit' ? Math.round((net * policy.resolutions.storeCreditBonusPercent) / 100) : 0;
  return { itemsAmount, shippingFee, restockingFee, creditBonus, totalBack: net + creditBonus };
}

/** The policy's refund promise in words ("Your refund is released when the carrier first scans your parcel."). */
export function refundPromise(on: 'first_scan' | 'delivered' | 'inspected', resolution: Resolution): string {
  const what =
    resolution === 'store_credit'
      ? 'Your store credit is issued'
      : resolution === 'exchange'
        ? 'Your exchange is sent'
        : 'Your refund is released';
  if (on === 'first_scan') return `${what} when the carrier first scans your parcel.`;
  if (on === 'delivered') return `${what} when your parcel reaches the store.`;
  return `${what} once the store has received and checked the items.`;
}
