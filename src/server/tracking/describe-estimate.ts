// The estimate in the words a shopper reads: "Arriving Thursday, November 26" (en-US).
import { formatDay } from '../../lib/dates.ts';
import type { Translator } from '../i18n/translator.ts';
import type { Estimate } from './estimate-delivery.ts';

export interface EstimateWords {
  /** e.g. "Arriving" / "Delivered" / "New estimate:" */
  lead: string;
  /** The date in words, or null when there is no date to give. */
  date: string | null;
  /** A calm extra sentence, when the estimate changed or is being checked. */
  note: string | null;
}

/** Words for an estimate in the shopper's language, dates in its locale. */
export function describeEstimate(e: Estimate, words: Translator): EstimateWords {
  const { t, locale } = words;
  switch (e.kind) {
    case 'delivered':
      return { lead: t('order.estimate.deliveredOn'), date: formatDay(e.date, locale), note: null };
    case 'expected':
      return e.revised
        ? {
            lead: t('order.estimate.newEstimate'),
            date: formatDay(e.date, locale),
            note: t('order.estimate.wasExpected', { date: formatDay(e.originalDate, locale) }),
          }
        : { lead: t('order.estimate.arriving'), date: formatDay(e.date, locale), note: null };
    case 'checking':
      return {
        lead: t('order.estimate.runningLate'),
        date: null,
        note: t('order.estimate.checking', { date: formatDay(e.originalDate, locale) }),
      };
    case 'none':
      return { lead: '', date: null, note: null };
  }
}
