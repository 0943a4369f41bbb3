// The policies page's form fields as the patch PATCH /api/v1/store would send. Field names are the
// dotted path of the value ("returns.windowDays", "returns.reasons.2.label"), so an error's JSON
// pointer finds its field (see fieldNameFor). Text that is not a whole number is passed on as text,
// for the schema to refuse with its own words.
import { readCustomerSegmentsForm } from '../stores/customer-segments-form.ts';

const MAX_REASON_ROWS = 40;
const ADDRESS_FIELDS = ['name', 'company', 'street1', 'street2', 'city', 'state', 'postalCode', 'country', 'phone'] as const;
const OPTIONAL_ADDRESS_FIELDS = new Set(['company', 'street2', 'state', 'phone']);

/** The patch of {policies, returnAddress, defaultLanguage, customers} a posted policies form stands for. */
export function readPoliciesForm(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const int = (name: string): number | string => (/^-?\d{1,9}$/.test(text(name)) ? Number(text(name)) : text(name));
  const checked = (name: string) => form.get(name) === '1';
  const list = (name: string) =>
    text(name)
      .split(/[\n,]+/)
      .map((s) => s.trim())
      .filter(Boolean);

  const reasons: { code: string; label: string; requiresNote: boolean; requiresPhoto: boolean }[] = [];
  const feeWaivedReasons: string[] = [];
  for (let i = 0; i < MAX_REASON_ROWS && form.has(`returns.reasons.${i}.code`); i++) {
    const p = `returns.reasons.${i}`;
    const code = text(`${p}.code`).toLowerCase();
    const label = text(`${p}.label`);
    if (checked(`${p}.remove`) || (!code && !label)) continue;
    reasons.push({ code, label, requiresNote: checked(`${p}.requiresNote`), requiresPhoto: checked(`${p}.requiresPhoto`) });
    if (checked(`${p}.feeWaived`)) feeWaivedReasons.push(code);
  }
  const cap = text('returns.maxReturnsPer90Days');

  const address: Record<string, string | null> = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, text(`returnAddress.${f}`)]));
  const anyAddress = Object.values(address).some(Boolean);
  // An emptied optional line is removed (null in a merge patch); an emptied required one is refused.
  for (const f of OPTIONAL_ADDRESS_FIELDS) if (!address[f]) address[f] = null;
  if (address.country) address.country = address.country.toUpperCase();

  return {
    policies: {
      delays: {
        timeZone: text('delays.timeZone'),
        processingDays: int('delays.processingDays'),
        transitDays: int('delays.transitDays'),
        delayGraceDays: int('delays.delayGraceDays'),
        stalledScanHours: int('delays.stalledScanHours'),
        notScannedHours: int('delays.notScannedHours'),
      },
      returns: {
        windowDays: int('returns.windowDays'),
        windowStartsFrom: text('returns.windowStartsFrom'),
        finalSaleCategories: list('returns.finalSaleCategories'),
        finalSaleSkus: list('returns.finalSaleSkus'),
        reasons,
        resolutions: {
          refund: checked('returns.resolutions.refund'),
          storeCredit: checked('returns.resolutions.storeCredit'),
          storeCreditBonusPercent: int('returns.resolutions.storeCreditBonusPercent'),
          exchange: checked('returns.resolutions.exchange'),
        },
        shippingFee: text('returns.labelCost') === 'free' ? 0 : int('returns.shippingFee'),
        restockingFeePercent: int('returns.restockingFeePercent'),
        feeWaivedReasons,
        approval: text('returns.approval'),
        refundReleasedOn: text('returns.refundReleasedOn'),
        maxReturnsPer90Days: cap === '' ? null : int('returns.maxReturnsPer90Days'),
      },
      reviews: {
        requestDelayDays: int('reviews.requestDelayDays'),
        fallbackDaysAfterFulfillment: int('reviews.fallbackDaysAfterFulfillment'),
        publishMode: text('reviews.publishMode'),
        holdDays: int('reviews.holdDays'),
        // Sent by the current form; an older form without them leaves them as they are.
        ...(form.has('reviews.editWindowDays') ? { editWindowDays: int('reviews.editWindowDays') } : {}),
        ...(form.has('reviews.incentiveDisclosure') ? { incentiveDisclosure: text('reviews.incentiveDisclosure') } : {}),
      },
      // Sent by the current form; an older form without them leaves them as they are.
      ...(form.has('afterDelivery.checkinDays')
        ? {
            afterDelivery: {
              checkinDays: int('afterDelivery.checkinDays'),
              followUpDays: int('afterDelivery.followUpDays'),
              followUpGapDays: int('afterDelivery.followUpGapDays'),
              replenishLeadDays: int('afterDelivery.replenishLeadDays'),
            },
          }
        : {}),
    },
    returnAddress: anyAddress ? address : null,
    // The shopper language (not a policy): sent by the current form; an older one leaves it as it is.
    ...(form.has('defaultLanguage') ? { defaultLanguage: text('defaultLanguage') } : {}),
    // Who counts as VIP (not a policy either): sent by the current form; an older one leaves it as it is.
    ...(form.has('customers.vipOrders') ? { customers: readCustomerSegmentsForm(form) } : {}),
  };
}

/** The form field an error's JSON pointer belongs to ("/policies/returns/finalSaleSkus/3" → "returns.finalSaleSkus"). */
export function fieldNameFor(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'policies') parts.shift();
  // A list typed into one box: its entries' errors belong to the box.
  if (parts[0] === 'returns' && (parts[1] === 'finalSaleCategories' || parts[1] === 'finalSaleSkus')) return parts.slice(0, 2).join('.');
  return parts.join('.');
}
