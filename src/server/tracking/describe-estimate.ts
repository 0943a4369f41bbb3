// The estimate in the words a shopper reads: "Arriving Thursday, November 26" (en-US).
import { formatDay } from '../../lib/dates.ts';
import type { Estimate } from './estimate-delivery.ts';

export interface EstimateWords {
  /** e.g. "Arriving" / "Delivered" / "New estimate:" */
  lead: string;
  /** The date in words, or null when there is no date to give. */
  date: string | null;
  /** A calm extra sentence, when the estimate changed or is being checked. */
  note: string | null;
}

/** Words for an estimate in the order's locale. */
export function describeEstimate(e: Estimate, locale: string): EstimateWords {
  switch (e.kind) {
    case 'delivered':
      return { lead: 'Delivered on', date: formatDay(e.date, locale), note: null };
    case 'expected':
      return e.revised
        ? { lead: 'New estimate:', date: formatDay(e.date, locale), note: `It was expected ${formatDay(e.originalDate, locale)}.` }
        : { lead: 'Arriving', date: formatDay(e.date, locale), note: null };
    case 'checking':
      return {
        lead: 'Running late',
        date: null,
        note: `It was expected ${formatDay(e.originalDate, locale)} and has not arrived yet. We are checking with the carrier and will update this page.`,
      };
    case 'none':
      return { lead: '', date: null, note: null };
  }
}
