// The store's return policy as facts a page can put in plain words: the same settings that decide
// eligibility and the JSON-LD (return-policy-jsonld.ts), so the words never promise other rules.
import { desc, eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import type { Store } from '../stores/store.ts';

export interface ReturnPolicyFacts {
  /** No return address: returns are not opened here, the shopper contacts support. */
  bySupport: boolean;
  windowDays: number;
  windowStartsFrom: 'delivery' | 'fulfillment' | 'order';
  finalSaleCategories: string[];
  finalSaleSkus: string[];
  /** What a shopper may choose, in this order: refund, store_credit, exchange. */
  resolutions: ('refund' | 'store_credit' | 'exchange')[];
  storeCreditBonusPercent: number;
  /** The label's cost, in the minor unit of `currency`; 0 is a free label. */
  shippingFee: number;
  restockingFeePercent: number;
  /** The labels of the reasons for which no fee is charged. */
  feeWaivedReasons: string[];
  approval: 'auto' | 'review';
  refundReleasedOn: 'first_scan' | 'delivered' | 'inspected';
  maxReturnsPer90Days: number | null;
  /** The currency the store's fees are shown in: its latest order's (USD before any order). */
  currency: string;
}

/** The facts of the store's current return policy. */
export async function returnPolicyFacts(store: Store): Promise<ReturnPolicyFacts> {
  const p = store.settings.returns;
  const latest = await firstRow(
    db()
      .select({ currency: schema.orders.currency })
      .from(schema.orders)
      .where(eq(schema.orders.storeId, store.id))
      .orderBy(desc(schema.orders.placedAt))
      .limit(1),
  );
  const labels = new Map(p.reasons.map((r) => [r.code, r.label]));
  return {
    bySupport: !store.settings.returnAddress,
    windowDays: p.windowDays,
    windowStartsFrom: p.windowStartsFrom,
    finalSaleCategories: [...p.finalSaleCategories],
    finalSaleSkus: [...p.finalSaleSkus],
    resolutions: [
      ...(p.resolutions.refund ? (['refund'] as const) : []),
      ...(p.resolutions.storeCredit ? (['store_credit'] as const) : []),
      ...(p.resolutions.exchange ? (['exchange'] as const) : []),
    ],
    storeCreditBonusPercent: p.resolutions.storeCredit ? p.resolutions.storeCreditBonusPercent : 0,
    shippingFee: p.shippingFee,
    restockingFeePercent: p.restockingFeePercent,
    feeWaivedReasons: p.feeWaivedReasons.map((c) => labels.get(c) ?? c),
    approval: p.approval,
    refundReleasedOn: p.refundReleasedOn,
    maxReturnsPer90Days: p.maxReturnsPer90Days,
    currency: latest?.currency ?? 'USD',
  };
}
