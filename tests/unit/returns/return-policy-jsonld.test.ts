// The machine-readable policy follows the same settings as eligibility.
import { describe, expect, it } from 'vitest';
import { ReturnsPolicySchema } from '../../../src/server/policies/returns-policy.ts';
import { returnPolicyJsonLd } from '../../../src/server/returns/return-policy-jsonld.ts';

const address = { name: 'R', street1: '1 A St', city: 'Reno', state: 'NV', postalCode: '89501', country: 'US' } as never;
const ld = (policy: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  returnPolicyJsonLd({
    policy: ReturnsPolicySchema.parse(policy),
    returnAddress: address,
    currency: 'USD',
    lookupUrl: 'https://w.example/demo',
    ...extra,
  });

describe('MerchantReturnPolicy', () => {
  it('a new store: 30 days, free returns by mail, refund or store credit', () => {
    expect(ld({})).toEqual({
      '@context': 'https://schema.org',
      '@type': 'MerchantReturnPolicy',
      merchantReturnLink: 'https://w.example/demo',
      applicableCountry: 'US',
      returnPolicyCategory: 'https://schema.org/MerchantReturnFiniteReturnWindow',
      merchantReturnDays: 30,
      returnMethod: 'https://schema.org/ReturnByMail',
      returnFees: 'https://schema.org/FreeReturn',
      customerRemorseReturnFees: 'https://schema.org/FreeReturn',
      itemDefectReturnFees: 'https://schema.org/FreeReturn',
      refundType: ['https://schema.org/FullRefund', 'https://schema.org/StoreCreditRefund'],
    });
  });

  it('fees for a change of mind, free when the item was faulty; restocking in percent', () => {
    const r = ld({ shippingFee: 695, restockingFeePercent: 15, windowDays: 14 });
    expect(r).toMatchObject({
      merchantReturnDays: 14,
      returnShippingFeesAmount: { '@type': 'MonetaryAmount', value: 6.95, currency: 'USD' },
      customerRemorseReturnFees: 'https://schema.org/ReturnShippingFees',
      itemDefectReturnFees: 'https://schema.org/FreeReturn',
      restockingFee: 15,
    });
  });

  it('final-sale products and stores without a return address permit no returns', () => {
    expect(ld({ finalSaleCategories: ['clearance'] }, { product: { sku: 'X', category: 'Clearance' } }).returnPolicyCategory).toBe(
      'https://schema.org/MerchantReturnNotPermitted',
    );
    expect(ld({}, { returnAddress: null }).returnPolicyCategory).toBe('https://schema.org/MerchantReturnNotPermitted');
  });
});
