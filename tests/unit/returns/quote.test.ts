// Fees and what the shopper gets back: shipping and restocking fees, waived by reason; the
// store-credit bonus; exchanges; the refund promise in words.
import { describe, expect, it } from 'vitest';
import { ReturnsPolicySchema } from '../../../src/server/policies/returns-policy.ts';
import { offeredResolutions, quoteReturn, refundPromise } from '../../../src/server/returns/quote.ts';

const policy = ReturnsPolicySchema.parse({
  shippingFee: 600,
  restockingFeePercent: 10,
  resolutions: { refund: true, storeCredit: true, storeCreditBonusPercent: 10, exchange: true },
});

describe('quoteReturn', () => {
  it.each([
    [
      'refund, fees charged',
      [{ quantity: 1, unitAmount: 10000, reason: 'changed_mind' }],
      'refund',
      { shippingFee: 600, restockingFee: 1000, creditBonus: 0, totalBack: 8400 },
    ],
    [
      'fees waived when it arrived damaged',
      [{ quantity: 1, unitAmount: 10000, reason: 'damaged' }],
      'refund',
      { shippingFee: 0, restockingFee: 0, totalBack: 10000 },
    ],
    [
      'only the chargeable lines pay restocking',
      [
        { quantity: 1, unitAmount: 10000, reason: 'wrong_item' },
        { quantity: 2, unitAmount: 1000, reason: 'too_small' },
      ],
      'refund',
      { itemsAmount: 12000, shippingFee: 600, restockingFee: 200, totalBack: 11200 },
    ],
    [
      'store credit earns the bonus',
      [{ quantity: 1, unitAmount: 10000, reason: 'changed_mind' }],
      'store_credit',
      { creditBonus: 840, totalBack: 9240 },
    ],
    [
      'an exchange costs nothing and refunds nothing',
      [{ quantity: 1, unitAmount: 10000, reason: 'too_small' }],
      'exchange',
      { shippingFee: 0, restockingFee: 0, totalBack: 0 },
    ],
    [
      'fees never exceed the item',
      [{ quantity: 1, unitAmount: 500, reason: 'changed_mind' }],
      'refund',
      { shippingFee: 500, restockingFee: 0, totalBack: 0 },
    ],
  ] as const)('%s', (_n, lines, resolution, expected) => {
    expect(quoteReturn(policy, [...lines], resolution)).toMatchObject(expected);
  });

  it('offers the resolutions the policy allows', () => {
    expect(offeredResolutions(ReturnsPolicySchema.parse({}))).toEqual(['refund', 'store_credit']);
    expect(offeredResolutions(policy)).toEqual(['refund', 'store_credit', 'exchange']);
  });

  it('says when the refund is released', () => {
    expect(refundPromise('first_scan', 'refund')).toBe('Your refund is released when the carrier first scans your parcel.');
    expect(refundPromise('delivered', 'store_credit')).toBe('Your store credit is issued when your parcel reaches the store.');
    expect(refundPromise('inspected', 'refund')).toBe('Your refund is released once the store has received and checked the items.');
  });
});
