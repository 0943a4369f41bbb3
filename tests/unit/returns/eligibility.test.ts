// The policy engine on a table of cases: windows in several zones and across a daylight-saving
// change, a missing delivery scan, final sale by flag, SKU, product and category, partial
// quantities, already returned units, no return address, and the per-customer cap.
import { describe, expect, it } from 'vitest';
import { ReturnsPolicySchema } from '../../../src/server/policies/returns-policy.ts';
import { capReached, decideEligibility, type EligibilityInput } from '../../../src/server/returns/eligibility.ts';

const policy = (over: Record<string, unknown> = {}) => ReturnsPolicySchema.parse(over);
const at = (iso: string) => Date.parse(iso);

function input(over: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    policy: policy(),
    policyVersion: 3,
    hasReturnAddress: true,
    timeZone: 'UTC',
    locale: 'en-US',
    now: at('2026-11-20T12:00:00Z'),
    placedAt: at('2026-11-01T10:00:00Z'),
    transitBufferDays: 5,
    items: [
      { sku: 'TENT', productId: 'tent', title: 'Tent', quantity: 1, unitAmount: 24900, category: 'camping', finalSale: false },
      { sku: 'MUG', productId: 'mug', title: 'Mug', quantity: 3, unitAmount: 1500, category: 'kitchen', finalSale: false },
    ],
    parcels: [
      {
        createdAt: at('2026-11-02T09:00:00Z'),
        firstScanAt: at('2026-11-02T15:00:00Z'),
        deliveredAt: at('2026-11-05T16:00:00Z'),
        items: [
          { sku: 'TENT', quantity: 1 },
          { sku: 'MUG', quantity: 3 },
        ],
      },
    ],
    returned: {},
    ...over,
  };
}
const one = (over: Partial<EligibilityInput>, sku = 'TENT') => decideEligibility(input(over)).items.find((i) => i.sku === sku)!;

describe('return window', () => {
  const cases: Array<[string, Partial<EligibilityInput>, number, string | null, string]> = [
    ['open within 30 days of delivery', {}, 1, null, 'Can be returned until Saturday, December 5.'],
    [
      'closed on the 31st day',
      { now: at('2026-12-06T00:30:00Z') },
      0,
      'window_closed',
      'The return window closed on Saturday, December 5.',
    ],
    [
      'last day still open late in the evening',
      { now: at('2026-12-05T23:59:00Z') },
      1,
      null,
      'Can be returned until Saturday, December 5.',
    ],
    // 04:30 UTC on Dec 6 is still Dec 5 in Los Angeles: open there, closed in London.
    [
      'the store zone decides the day (Los Angeles)',
      { now: at('2026-12-06T04:30:00Z'), timeZone: 'America/Los_Angeles' },
      1,
      null,
      'Can be returned until Saturday, December 5.',
    ],
    // Delivered at 01:00 on 6 November in Tokyo: the window runs to 6 December there.
    [
      'the store zone decides the day (Tokyo)',
      { now: at('2026-12-05T15:30:00Z'), timeZone: 'Asia/Tokyo' },
      1,
      null,
      'Can be returned until Sunday, December 6.',
    ],
    [
      'and closes at midnight Tokyo time',
      { now: at('2026-12-06T15:30:00Z'), timeZone: 'Asia/Tokyo' },
      0,
      'window_closed',
      'The return window closed on Sunday, December 6.',
    ],
    [
      'counted from fulfilment',
      { policy: policy({ windowStartsFrom: 'fulfillment', windowDays: 14 }), now: at('2026-11-17T12:00:00Z') },
      0,
      'window_closed',
      'The return window closed on Monday, November 16.',
    ],
    [
      'counted from the order',
      { policy: policy({ windowStartsFrom: 'order', windowDays: 20 }) },
      1,
      null,
      'Can be returned until Saturday, November 21.',
    ],
  ];
  it.each(cases)('%s', (_name, over, qty, reason, words) => {
    const e = one(over);
    expect(e.returnableQuantity).toBe(qty);
    expect(e.reason).toBe(reason);
    expect(e.words).toBe(words);
  });

  it('across the autumn daylight-saving change the window is still whole calendar days', () => {
    // Delivered on Saturday 31 October in New York (clocks go back on Sunday 1 November): 7 days → Saturday 7 November.
    const parcels = [
      {
        createdAt: at('2026-10-28T12:00:00Z'),
        firstScanAt: null,
        deliveredAt: at('2026-11-01T03:30:00Z'),
        items: [{ sku: 'TENT', quantity: 1 }],
      },
    ];
    const base = { policy: policy({ windowDays: 7 }), timeZone: 'America/New_York', parcels };
    expect(one({ ...base, now: at('2026-11-08T04:59:00Z') })).toMatchObject({ returnableQuantity: 1, lastDay: '2026-11-07' });
    expect(one({ ...base, now: at('2026-11-08T05:00:00Z') })).toMatchObject({
      returnableQuantity: 0,
      reason: 'window_closed',
      lastDay: '2026-11-07',
    });
  });

  it('without a delivery scan, fulfilment plus the transit buffer stands in for delivery', () => {
    const parcels = [
      {
        createdAt: at('2026-11-02T09:00:00Z'),
        firstScanAt: at('2026-11-03T09:00:00Z'),
        deliveredAt: null,
        items: [{ sku: 'TENT', quantity: 1 }],
      },
    ];
    expect(one({ parcels, now: at('2026-11-06T12:00:00Z') })).toMatchObject({ returnableQuantity: 0, reason: 'not_delivered' });
    expect(one({ parcels, now: at('2026-11-08T12:00:00Z') })).toMatchObject({ returnableQuantity: 1, lastDay: '2026-12-08' });
  });

  it('an item not shipped yet is not delivered yet', () => {
    expect(one({ parcels: [] })).toMatchObject({
      returnableQuantity: 0,
      reason: 'not_delivered',
      words: 'Not delivered yet: you can return it once it arrives.',
    });
  });
});

describe('what can come back', () => {
  it.each([
    [
      'the item flag',
      { items: [{ sku: 'TENT', productId: 'tent', title: 'Tent', quantity: 1, unitAmount: 1, category: null, finalSale: true }] },
    ],
    ['its SKU', { policy: policy({ finalSaleSkus: ['tent'] }) }],
    [
      'its product',
      {
        policy: policy({ finalSaleSkus: ['TENT-PRODUCT'] }),
        items: [{ sku: 'TENT', productId: 'tent-product', title: 'Tent', quantity: 1, unitAmount: 1, category: null, finalSale: false }],
      },
    ],
    ['its category', { policy: policy({ finalSaleCategories: ['Camping'] }) }],
  ])('final sale by %s', (_n, over) => {
    expect(one(over as Partial<EligibilityInput>)).toMatchObject({
      returnableQuantity: 0,
      reason: 'final_sale',
      words: 'Final sale: this item cannot be returned.',
    });
  });

  it('partial quantities: units already in a return are taken off', () => {
    expect(one({ returned: { MUG: 2 } }, 'MUG')).toMatchObject({ returnableQuantity: 1, reason: null });
    expect(one({ returned: { MUG: 3 } }, 'MUG')).toMatchObject({
      returnableQuantity: 0,
      reason: 'already_returned',
      words: 'Already returned.',
    });
  });

  it('units split across parcels: the delivered ones can come back, the rest once they arrive', () => {
    const parcels = [
      {
        createdAt: at('2026-11-02T09:00:00Z'),
        firstScanAt: null,
        deliveredAt: at('2026-11-05T16:00:00Z'),
        items: [{ sku: 'MUG', quantity: 1 }],
      },
      { createdAt: at('2026-11-19T09:00:00Z'), firstScanAt: null, deliveredAt: null, items: [{ sku: 'MUG', quantity: 2 }] },
    ];
    const e = one({ parcels }, 'MUG');
    expect(e.returnableQuantity).toBe(1);
    expect(e.words).toContain('2 units still on the way');
  });

  it('nothing is returnable until the store has a return address', () => {
    const d = decideEligibility(input({ hasReturnAddress: false }));
    expect(d.anyReturnable).toBe(false);
    expect(d.items.every((i) => i.reason === 'no_return_address')).toBe(true);
  });

  it('names the policy version in force', () => {
    expect(decideEligibility(input()).policyVersion).toBe(3);
  });

  it('the per-customer cap', () => {
    expect(capReached(policy({ maxReturnsPer90Days: 2 }), 1)).toBe(false);
    expect(capReached(policy({ maxReturnsPer90Days: 2 }), 2)).toBe(true);
    expect(capReached(policy(), 500)).toBe(false);
  });
});
