// The policies' validation and defaults: what a new store starts with, what is refused and where.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/server/errors.ts';
import { DEFAULT_RETURN_REASONS } from '../../../src/server/policies/returns-policy.ts';
import { readSettings, SettingsSchema } from '../../../src/server/stores/settings.ts';
import { applyStorePatch } from '../../../src/server/stores/merge-store-patch.ts';
import { readStoreDocument } from '../../../src/server/stores/store-document.ts';

const fresh = () => readStoreDocument({ branding: {}, settings: {} });

function refusal(patch: unknown): { pointer: string; detail: string }[] {
  try {
    applyStorePatch(fresh(), patch);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).errors;
  }
  throw new Error('the patch was accepted');
}

describe('defaults for a new store (DESIGN.md)', () => {
  it('returns within 30 days of delivery, refund or store credit, a free label, approved at once, no return address', () => {
    const s = SettingsSchema.parse({});
    expect(s.returns).toMatchObject({
      windowDays: 30,
      windowStartsFrom: 'delivery',
      resolutions: { refund: true, storeCredit: true, storeCreditBonusPercent: 0, exchange: false },
      shippingFee: 0,
      restockingFeePercent: 0,
      approval: 'auto',
      maxReturnsPer90Days: null,
      finalSaleCategories: [],
      finalSaleSkus: [],
    });
    expect(s.returns.reasons.map((r) => r.code)).toEqual([
      'too_small',
      'too_large',
      'not_as_described',
      'damaged',
      'wrong_item',
      'arrived_late',
      'changed_mind',
      'other',
    ]);
    expect(s.returns.feeWaivedReasons).toEqual(['not_as_described', 'damaged', 'wrong_item']);
    expect(s.returnAddress).toBeNull();
  });

  it('review invitations 5 days after delivery; the delay rules stay top-level keys', () => {
    const s = SettingsSchema.parse({});
    expect(s.reviews).toEqual({
      requestDelayDays: 5,
      fallbackDaysAfterFulfillment: 14,
      publishMode: 'on_arrival',
      holdDays: 3,
      editWindowDays: 30,
      incentiveDisclosure: '',
    });
    expect(s).toMatchObject({
      timeZone: 'UTC',
      processingDays: 2,
      transitDays: 5,
      delayGraceDays: 1,
      stalledScanHours: 72,
      notScannedHours: 48,
    });
  });

  it('gives each new store its own copy of the default reasons', () => {
    const a = SettingsSchema.parse({});
    a.returns.reasons[0]!.label = 'changed';
    expect(SettingsSchema.parse({}).returns.reasons[0]!.label).toBe('Too small');
    expect(DEFAULT_RETURN_REASONS[0]!.label).toBe('Too small');
  });
});

describe('readSettings', () => {
  it('keeps the delay rules when another part of the stored JSON is broken', () => {
    const s = readSettings({ timeZone: 'Europe/Berlin', delayGraceDays: 3, returns: { windowDays: 'lots' }, reviews: { holdDays: 2 } });
    expect(s.timeZone).toBe('Europe/Berlin');
    expect(s.delayGraceDays).toBe(3);
    expect(s.returns.windowDays).toBe(30);
    expect(s.reviews.holdDays).toBe(2);
  });

  it('reads what an older build stored (only the delay rules) with today’s defaults for the rest', () => {
    const s = readSettings({ timeZone: 'America/Los_Angeles', processingDays: 1, transitDays: 4 });
    expect(s).toMatchObject({ timeZone: 'America/Los_Angeles', processingDays: 1, transitDays: 4, delayGraceDays: 1 });
    expect(s.returns.windowDays).toBe(30);
  });
});

describe('validation', () => {
  it('accepts a sensible change and fills what it leaves out', () => {
    const d = applyStorePatch(fresh(), {
      policies: { returns: { windowDays: 60, windowStartsFrom: 'fulfillment', maxReturnsPer90Days: 3, finalSaleSkus: ['GIFT-CARD'] } },
    });
    expect(d.policies.returns).toMatchObject({
      windowDays: 60,
      windowStartsFrom: 'fulfillment',
      maxReturnsPer90Days: 3,
      finalSaleSkus: ['GIFT-CARD'],
    });
    expect(d.policies.returns.reasons).toHaveLength(8);
  });

  it('names every bad field by its JSON pointer, in words a merchant can act on', () => {
    const errors = refusal({
      policies: {
        delays: { timeZone: 'Mars/Olympus', stalledScanHours: 12 },
        returns: { windowDays: 0, restockingFeePercent: 101, shippingFee: 1.5, approval: 'sometimes', refundReleasedOn: 'never' },
        reviews: { holdDays: 8, publishMode: 'later' },
      },
    });
    expect(Object.fromEntries(errors.map((e) => [e.pointer, e.detail]))).toEqual({
      '/policies/delays/timeZone': 'an IANA time zone such as Europe/London',
      '/policies/delays/stalledScanHours': 'a whole number from 24 to 720',
      '/policies/returns/windowDays': 'a whole number from 1 to 365',
      '/policies/returns/restockingFeePercent': 'a whole number from 0 to 100',
      '/policies/returns/shippingFee': 'a whole number from 0 to 1000000',
      '/policies/returns/approval': 'one of auto, review',
      '/policies/returns/refundReleasedOn': 'one of first_scan, delivered, inspected',
      '/policies/reviews/holdDays': 'a whole number from 0 to 7',
      '/policies/reviews/publishMode': 'one of on_arrival, after_hold',
    });
  });

  it('refuses duplicate reason codes, fee waivers for unknown reasons, and no resolution at all', () => {
    const errors = refusal({
      policies: {
        returns: {
          reasons: [
            { code: 'damaged', label: 'Damaged' },
            { code: 'damaged', label: 'Broken' },
            { code: 'Too Big', label: '' },
          ],
          feeWaivedReasons: ['damaged', 'wrong_item'],
          resolutions: { refund: false, storeCredit: false, exchange: false },
        },
      },
    });
    expect(errors.map((e) => e.pointer).sort()).toEqual(
      [
        '/policies/returns/reasons/1/code',
        '/policies/returns/reasons/2/code',
        '/policies/returns/reasons/2/label',
        '/policies/returns/feeWaivedReasons/1',
        '/policies/returns/resolutions',
      ].sort(),
    );
  });

  it('refuses fields it does not know, at any depth, instead of dropping them silently', () => {
    const errors = refusal({ colour: 'red', policies: { returns: { windowDay: 10 }, refunds: {} }, branding: { logo: 'x' } });
    expect(errors.map((e) => e.pointer).sort()).toEqual(
      ['/branding/logo', '/colour', '/policies/refunds', '/policies/returns/windowDay'].sort(),
    );
  });

  it('wants a whole return address or none', () => {
    expect(
      refusal({ returnAddress: { name: 'Returns desk', country: 'usa' } })
        .map((e) => e.pointer)
        .sort(),
    ).toEqual(['/returnAddress/city', '/returnAddress/country', '/returnAddress/postalCode', '/returnAddress/street1'].sort());
    const address = { name: 'Returns desk', street1: '1 Dock Rd', city: 'Portland', postalCode: '97201', country: 'US' };
    expect(applyStorePatch(fresh(), { returnAddress: address }).returnAddress).toEqual(address);
  });

  it('is a JSON Merge Patch: objects merge, lists replace, null brings back the default', () => {
    const before = applyStorePatch(fresh(), { policies: { returns: { windowDays: 60, resolutions: { exchange: true, refund: false } } } });
    const after = applyStorePatch(before, { policies: { returns: { windowDays: null, resolutions: { storeCreditBonusPercent: 10 } } } });
    expect(after.policies.returns.windowDays).toBe(30);
    expect(after.policies.returns.resolutions).toEqual({ refund: false, storeCredit: true, storeCreditBonusPercent: 10, exchange: true });
    expect(refusal('windowDays=30')).toEqual([{ pointer: '', detail: 'send a JSON object' }]);
  });
});

describe('fee waivers', () => {
  it('are a set in the reasons’ order, so sending them in another order changes nothing', () => {
    const d = applyStorePatch(fresh(), { policies: { returns: { feeWaivedReasons: ['wrong_item', 'damaged', 'wrong_item'] } } });
    expect(d.policies.returns.feeWaivedReasons).toEqual(['damaged', 'wrong_item']);
  });
});
