// One parcel as the order page shows it: the estimate and notices in words, the shopper's own
// problem reports, and the carrier's events grouped by day. Pure: the order page's read model and
// the branding preview both build their parcel cards from it.
import { dayInZone, formatDay, formatTime } from '../../lib/dates.ts';
import type { Translator } from '../i18n/translator.ts';
import { describeNotice, type NoticeWords } from '../notices/describe-notice.ts';
import { describeEstimate, type EstimateWords } from '../tracking/describe-estimate.ts';
import type { ShipmentView } from '../orders/load-order.ts';

export interface TimelineDay {
  /** The day in words, in the order's locale. */
  day: string;
  events: { at: string; time: string; message: string; place: string | null }[];
}

export interface ParcelPage {
  shipment: ShipmentView;
  /** 1-based position among the order's parcels, and how many there are. */
  index: number;
  total: number;
  estimate: EstimateWords;
  /** False when a late notice carries the new date itself (the estimate line would only repeat it). */
  showEstimate: boolean;
  notices: NoticeWords[];
  /** The shopper's own problem reports: what they said went wrong, and the day the store received it. */
  reports: { kind: string; receivedOn: string }[];
  timeline: TimelineDay[];
  eventCount: number;
}

/** The order page's view of one parcel, in the shopper's language and the order's time zone. */
export function describeParcel(
  s: ShipmentView,
  ctx: { index: number; total: number; words: Translator; timeZone: string; storeName: string; now: number },
): ParcelPage {
  const { words, timeZone, storeName, now } = ctx;
  const locale = words.locale;
  const expectedDay = s.estimate.kind === 'expected' || s.estimate.kind === 'checking' ? s.estimate.originalDate : null;
  const estimate = describeEstimate(s.estimate, words);
  return {
    shipment: s,
    index: ctx.index,
    total: ctx.total,
    estimate,
    showEstimate: estimate.lead !== '' && !s.notices.some((n) => n.kind === 'late'),
    notices: s.notices.map((n) => describeNotice(n, { words, timeZone, storeName, expectedDay, lastEventAt: s.lastEventAt, now })),
    reports: s.cases
      .filter((c) => c.source === 'problem_report' || c.source === 'checkin') // the shopper's own words, by either door
      .map((c) => ({ kind: c.kind, receivedOn: formatDay(dayInZone(c.createdAt, timeZone), locale) })),
    timeline: groupByDay(s.events, locale, timeZone),
    eventCount: s.events.length,
  };
}

/** The carrier's events (newest first) grouped by day in the order's time zone. */
function groupByDay(events: ShipmentView['events'], locale: string, timeZone: string): TimelineDay[] {
  const days: { key: string; day: TimelineDay }[] = [];
  for (const e of events) {
    const key = dayInZone(e.occurredAt, timeZone);
    const event = {
      at: new Date(e.occurredAt).toISOString(),
      time: formatTime(e.occurredAt, locale, timeZone),
      message: e.message,
      place: e.place,
    };
    const last = days.at(-1);
    if (last && last.key === key) last.day.events.push(event);
    else days.push({ key, day: { day: formatDay(key, locale), events: [event] } });
  }
  return days.map((d) => d.day);
}
