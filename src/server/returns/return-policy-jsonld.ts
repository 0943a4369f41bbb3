// The store's returns policy as schema.org MerchantReturnPolicy JSON-LD, generated from the same
// settings that decide eligibility, so product pages show exactly the rules the portal applies.
// Given a product's SKU and category, a final-sale product gets MerchantReturnNotPermitted.
import type { Address } from '../policies/policies.ts';
import type { ReturnsPolicy } from '../policies/returns-policy.ts';
import { isFinalSale } from './eligibility.ts';

const S = 'https://schema.org/';

/** The JSON-LD object (without a product: the store-wide policy). */
export function returnPolicyJsonLd(o: {
  policy: ReturnsPolicy;
  returnAddress: Address | null;
  currency: string;
  lookupUrl: string;
  product?: { sku: string; category: string | null };
}) {
  const p = o.policy;
  const base = { '@context': 'https://schema.org', '@type': 'MerchantReturnPolicy', merchantReturnLink: o.lookupUrl };
  const country = o.returnAddress?.country;
  if (
    !o.returnAddress ||
    (o.product && isFinalSale(p, { sku: o.product.sku, productId: o.product.sku, category: o.product.category, finalSale: false }))
  )
    return { ...base, ...(country ? { applicableCountry: country } : {}), returnPolicyCategory: `${S}MerchantReturnNotPermitted` };
  const money = (value: number) => ({ '@type': 'MonetaryAmount', value: value / 100, currency: o.currency });
  const fees = (charged: boolean) => (!charged || p.shippingFee === 0 ? `${S}FreeReturn` : `${S}ReturnShippingFees`);
  const refundType = [
    ...(p.resolutions.refund ? [`${S}FullRefund`] : []),
    ...(p.resolutions.storeCredit ? [`${S}StoreCreditRefund`] : []),
    ...(p.resolutions.exchange ? [`${S}ExchangeRefund`] : []),
  ];
  const defectWaived = ['damaged', 'wrong_item', 'not_as_described'].some((r) => p.feeWaivedReasons.includes(r));
  return {
    ...base,
    applicableCountry: country,
    returnPolicyCategory: `${S}MerchantReturnFiniteReturnWindow`,
    merchantReturnDays: p.windowDays,
    returnMethod: `${S}ReturnByMail`,
    returnFees: fees(true),
    ...(p.shippingFee > 0 ? { returnShippingFeesAmount: money(p.shippingFee) } : {}),
    customerRemorseReturnFees: fees(true),
    itemDefectReturnFees: fees(!defectWaived),
    ...(p.restockingFeePercent > 0 ? { restockingFee: p.restockingFeePercent } : {}),
    refundType,
  };
}
