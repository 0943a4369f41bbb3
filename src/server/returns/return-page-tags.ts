// What the page store needs to keep a return's page: it is tagged with the return's ORDER, so every
// change recorded for the order (the return moving, its parcel's carrier news, the store's
// branding and policies) deletes it with the order page, in the same transaction.
import { addDays, dayInZone, startOfDayInZone } from '../../lib/dates.ts';
import { pickLanguage } from '../i18n/pick-language.ts';
import type { Store } from '../stores/store.ts';
import type { ReturnView } from './load-return.ts';

/** The page store's tags for this return's page rendered at `now`: store, order, own language, and the local day it is worded for. */
export function returnPageTags(o: { store: Store; ret: ReturnView; now: number }): {
  storeId: string;
  orderId: string;
  lang: string;
  localDay: string;
  staleAt: number;
} {
  const timeZone = o.ret.timeZone ?? o.store.settings.timeZone;
  const localDay = dayInZone(o.now, timeZone);
  return {
    storeId: o.store.id,
    orderId: o.ret.orderId,
    // The return's own language (its order's locale), what the page shows without ?lang= or a chosen language.
    lang: pickLanguage({ orderLocale: o.ret.locale, storeDefault: o.store.settings.defaultLanguage }),
    localDay,
    // Nothing on the page is worded by the day today (dates are absolute), but a kept page still ends
    // at the order's local midnight like the order page, so wording added later ("label expires
    // tomorrow") can never be served a day late.
    staleAt: startOfDayInZone(addDays(localDay, 1), timeZone),
  };
}
