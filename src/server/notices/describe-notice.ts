// A notice in the store's calm voice. A person-needed case never gets a canned apology: the
// shopper is told a person will contact them, and that they need not do anything yet.
import { daysBetween, dayInZone, formatDay } from '../../lib/dates.ts';
import type { NoticeView } from '../orders/load-order.ts';

export interface NoticeWords {
  tone: 'warn' | 'bad' | 'info';
  title: string;
  body: string;
}

const DAYS = ['', 'a day', 'two days', 'three days'];

/** Words for a notice; `expectedDay` is the date the shopper was first given, if any. */
export function describeNotice(
  n: NoticeView,
  ctx: { locale: string; timeZone: string; storeName: string; expectedDay: string | null; lastEventAt: number | null; now: number },
): NoticeWords {
  const day = (d: string) => formatDay(d, ctx.locale);
  switch (n.kind) {
    case 'late': {
      const today = dayInZone(ctx.now, ctx.timeZone);
      const behind = ctx.expectedDay ? Math.max(1, daysBetween(ctx.expectedDay, today)) : 0;
      const title = behind > 0 && behind < DAYS.length ? `Your parcel is running ${DAYS[behind]} late` : 'Your parcel is running late';
      return {
        tone: 'warn',
        title,
        body: n.revisedDate
          ? `New estimate: ${day(n.revisedDate)}.${ctx.expectedDay ? ` It was expected ${day(ctx.expectedDay)}.` : ''}`
          : `It was expected ${ctx.expectedDay ? day(ctx.expectedDay) : 'earlier'}. We are checking with the carrier and will update this page as soon as we hear.`,
      };
    }
    case 'stalled':
      return {
        tone: 'warn',
        title: 'No news from the carrier for a while',
        body: `The last scan was ${(n.since ?? ctx.lastEventAt) ? day(dayInZone((n.since ?? ctx.lastEventAt)!, ctx.timeZone)) : 'some days ago'}. Parcels sometimes go quiet between scans; we are keeping an eye on it and will update this page.`,
      };
    case 'not_scanned':
      return {
        tone: 'warn',
        title: 'Waiting for the carrier to collect it',
        body: `The label was created on ${day(dayInZone(n.since ?? n.openedAt, ctx.timeZone))} but the carrier has not scanned the parcel yet. ${ctx.storeName} has been told and is following it up.`,
      };
    case 'delayed_dispatch':
      return {
        tone: 'warn',
        title: 'Taking longer than usual to ship',
        body: `${ctx.storeName} has not sent these items yet. This page will show the parcel as soon as it leaves.`,
      };
    case 'exception':
      return exceptionWords(n, ctx.storeName);
  }
}

function exceptionWords(n: NoticeView, storeName: string): NoticeWords {
  const [status, detail] = (n.reason ?? '').split('/');
  const person = `A member of the ${storeName} team will contact you about it. You do not need to do anything yet.`;
  if (detail === 'lost') return { tone: 'bad', title: 'The carrier has reported the parcel lost', body: person };
  if (detail === 'damaged') return { tone: 'bad', title: 'The carrier has reported the parcel damaged', body: person };
  switch (status) {
    case 'return_to_sender':
      return { tone: 'bad', title: 'The parcel is on its way back to the store', body: person };
    case 'failure':
      return {
        tone: 'bad',
        title:
          detail === 'address_not_found' ? 'The carrier could not find the delivery address' : 'The carrier could not deliver the parcel',
        body: person,
      };
    case 'available_for_pickup':
      return {
        tone: 'info',
        title: 'Ready to collect',
        body: 'The parcel is waiting at the carrier’s pickup point. Bring photo ID when you collect it.',
      };
    case 'error':
      return {
        tone: 'warn',
        title: 'Tracking updates are unavailable',
        body: 'The carrier is not sending updates for this parcel right now. We will keep trying.',
      };
    case 'cancelled':
      return { tone: 'warn', title: 'This shipment was cancelled', body: `${storeName} will tell you what happens next.` };
    default:
      if (n.needsPerson) return { tone: 'bad', title: 'There is a problem with this parcel', body: person };
      return {
        tone: 'warn',
        title: 'The carrier reported a delay',
        body: 'The parcel is still on its way. We will update this page as soon as it moves.',
      };
  }
}
