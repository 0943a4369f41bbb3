// The policies page's form, read into the same patch the API would send and validated by the same schema.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/server/errors.ts';
import { fieldNameFor, readPoliciesForm } from '../../../src/server/policies/policies-form.ts';
import { applyStorePatch } from '../../../src/server/stores/merge-store-patch.ts';
import { readStoreDocument } from '../../../src/server/stores/store-document.ts';

const fresh = () => readStoreDocument({ branding: {}, settings: {} });

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  const base: Record<string, string> = {
    'delays.timeZone': 'America/New_York',
    'delays.processingDays': '1',
    'delays.transitDays': '4',
    'delays.delayGraceDays': '1',
    'delays.stalledScanHours': '72',
    'delays.notScannedHours': '48',
    'returns.windowDays': '30',
    'returns.windowStartsFrom': 'delivery',
    'returns.finalSaleCategories': '',
    'returns.finalSaleSkus': '',
    'returns.reasons.0.code': 'damaged',
    'returns.reasons.0.label': 'Arrived damaged',
    'returns.reasons.0.requiresPhoto': '1',
    'returns.reasons.0.feeWaived': '1',
    'returns.reasons.1.code': 'too_small',
    'returns.reasons.1.label': 'Too small',
    'returns.reasons.2.code': '',
    'returns.reasons.2.label': '',
    'returns.resolutions.refund': '1',
    'returns.resolutions.storeCreditBonusPercent': '0',
    'returns.labelCost': 'free',
    'returns.shippingFee': '0',
    'returns.restockingFeePercent': '0',
    'returns.approval': 'auto',
    'returns.refundReleasedOn': 'delivered',
    'returns.maxReturnsPer90Days': '',
    'reviews.requestDelayDays': '5',
    'reviews.fallbackDaysAfterFulfillment': '14',
    'reviews.publishMode': 'on_arrival',
    'reviews.holdDays': '3',
    ...fields,
  };
  for (const [k, v] of Object.entries(base)) f.append(k, v);
  return f;
}

describe('readPoliciesForm', () => {
  it('turns the fields into a valid policy: numbers, ticked boxes, lists, empty rows dropped, fee waivers per reason', () => {
    const patch = readPoliciesForm(
      form({
        'returns.finalSaleSkus': 'GIFT-CARD, SAMPLE\nCLEARANCE-1',
        'returns.labelCost': 'fee',
        'returns.shippingFee': '750',
        'returns.maxReturnsPer90Days': '4',
      }),
    );
    const d = applyStorePatch(fresh(), patch);
    expect(d.policies.delays).toEqual({
      timeZone: 'America/New_York',
      processingDays: 1,
      transitDays: 4,
      delayGraceDays: 1,
      stalledScanHours: 72,
      notScannedHours: 48,
    });
    expect(d.policies.returns).toMatchObject({
      finalSaleSkus: ['GIFT-CARD', 'SAMPLE', 'CLEARANCE-1'],
      reasons: [
        { code: 'damaged', label: 'Arrived damaged', requiresNote: false, requiresPhoto: true },
        { code: 'too_small', label: 'Too small', requiresNote: false, requiresPhoto: false },
      ],
      feeWaivedReasons: ['damaged'],
      resolutions: { refund: true, storeCredit: false, storeCreditBonusPercent: 0, exchange: false },
      shippingFee: 750,
      maxReturnsPer90Days: 4,
    });
    expect(d.returnAddress).toBeNull();
  });

  it('"free label" wins over a fee typed in; an empty cap is no cap; a removed reason goes', () => {
    const patch = readPoliciesForm(form({ 'returns.shippingFee': '500', 'returns.reasons.1.remove': '1' }));
    const d = applyStorePatch(fresh(), patch);
    expect(d.policies.returns.shippingFee).toBe(0);
    expect(d.policies.returns.maxReturnsPer90Days).toBeNull();
    expect(d.policies.returns.reasons.map((r) => r.code)).toEqual(['damaged']);
  });

  it('refuses what the API refuses, with pointers that find their form fields', () => {
    const patch = readPoliciesForm(
      form({
        'returns.windowDays': 'thirty',
        'delays.transitDays': '',
        'returns.reasons.1.code': 'damaged',
        'returnAddress.city': 'Portland',
      }),
    );
    let err: AppError | null = null;
    try {
      applyStorePatch(fresh(), patch);
    } catch (e) {
      err = e as AppError;
    }
    const fields = err!.errors.map((e) => fieldNameFor(e.pointer)).sort();
    expect(fields).toEqual(
      [
        'delays.transitDays',
        'returns.windowDays',
        'returns.reasons.1.code',
        'returnAddress.name',
        'returnAddress.street1',
        'returnAddress.postalCode',
        'returnAddress.country',
      ].sort(),
    );
    expect(err!.errors.find((e) => e.pointer === '/policies/returns/windowDays')?.detail).toBe('a whole number from 1 to 365');
  });

  it('an emptied optional address line is removed, not kept from before', () => {
    const address = {
      'returnAddress.name': 'Returns',
      'returnAddress.street1': '1 Dock Rd',
      'returnAddress.city': 'Portland',
      'returnAddress.postalCode': '97201',
      'returnAddress.country': 'us',
    };
    const withCompany = applyStorePatch(fresh(), readPoliciesForm(form({ ...address, 'returnAddress.company': 'Northwind' })));
    expect(withCompany.returnAddress).toMatchObject({ company: 'Northwind', country: 'US' });
    const without = applyStorePatch(withCompany, readPoliciesForm(form(address)));
    expect(without.returnAddress).not.toHaveProperty('company');
  });

  it('maps pointers into lists typed in one box to that box', () => {
    expect(fieldNameFor('/policies/returns/finalSaleSkus/3')).toBe('returns.finalSaleSkus');
    expect(fieldNameFor('/policies/returns/reasons/2/label')).toBe('returns.reasons.2.label');
    expect(fieldNameFor('/returnAddress/country')).toBe('returnAddress.country');
  });
});
