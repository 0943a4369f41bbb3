// The return flow's words that depend on the return's facts, in the shopper's language: why an
// item can or cannot come back, when the money (or credit, or exchange) follows, what comes back.
import { formatDay } from '../../lib/dates.ts';
import type { Translator } from '../../server/i18n/translator.ts';
import type { Eligibility } from '../../server/returns/eligibility.ts';

type ItemEligibility = Eligibility['items'][number];

/** "Can be returned until Friday, December 18." or why not. */
export function eligibilityWords(e: ItemEligibility, { t, locale }: Translator): string {
  if (e.returnableQuantity > 0) {
    const until = t('returns.eligibility.until', { date: formatDay(e.lastDay!, locale) });
    return e.pendingQuantity > 0 ? `${until} ${t('returns.eligibility.pendingLater', { count: e.pendingQuantity })}` : until;
  }
  switch (e.reason) {
    case 'no_return_address':
      return t('returns.eligibility.notOpen');
    case 'final_sale':
      return t('returns.eligibility.finalSale');
    case 'already_returned':
      return t('returns.eligibility.alreadyReturned');
    case 'window_closed':
      return t('returns.eligibility.windowClosed', { date: e.lastDay ? formatDay(e.lastDay, locale) : '' });
    default:
      return t('returns.eligibility.notDelivered');
  }
}

/** When the refund, credit or exchange follows. */
export function promiseWords(on: string, resolution: string, { t }: Translator): string {
  const what = resolution === 'store_credit' ? 'credit' : resolution === 'exchange' ? 'exchange' : 'refund';
  const when = on === 'first_scan' ? 'firstScan' : on === 'delivered' ? 'delivered' : 'inspected';
  return t('returns.promise', { what, when });
}

/** "Refund", "Store credit", "Exchange": the total's name. */
export function resolutionTotal(resolution: string, { t }: Translator): string {
  return t('returns.amounts.total', { what: resolution === 'store_credit' ? 'credit' : resolution === 'exchange' ? 'exchange' : 'refund' });
}

const FIELD_CODES = {
  key: 'returns.error.key',
  resolution: 'returns.error.resolution',
  notInOrder: 'returns.error.notInOrder',
  quantity: 'returns.error.quantity',
  tooMany: 'returns.error.tooMany',
  reason: 'returns.error.reason',
  note: 'returns.error.note',
  photo: 'returns.error.photo',
  exchange: 'returns.error.exchange',
  noExchange: 'returns.error.noExchange',
  atLeastOne: 'returns.error.atLeastOne',
  photoTooBig: 'returns.error.photoTooBig',
  photoRefused: 'returns.error.photoRefused',
  capReached: 'returns.error.capReached',
} as const;

/**
 * A refused field in the shopper's words: by its code (src/server/returns/read-return-request.ts),
 * "not returnable" as the item's own eligibility; anything without a code as a plain "check this".
 */
export function fieldErrorWords(
  e: { pointer: string; code?: string; values?: Record<string, string | number> },
  eligibility: Eligibility,
  words: Translator,
): string {
  if (e.code === 'notReturnable') {
    const item = eligibility.items.find((i) => e.pointer === `/qty/${i.sku}`);
    if (item) return eligibilityWords(item, words);
  }
  if (e.code && Object.hasOwn(FIELD_CODES, e.code)) return words.t(FIELD_CODES[e.code as keyof typeof FIELD_CODES], e.values);
  return words.t('returns.error.other');
}

/** Field errors by pointer (the first for each), in the shopper's words. */
export function fieldErrorMap(
  errors: readonly { pointer: string; code?: string; values?: Record<string, string | number> }[],
  eligibility: Eligibility,
  words: Translator,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of errors) if (!out.has(e.pointer)) out.set(e.pointer, fieldErrorWords(e, eligibility, words));
  return out;
}
