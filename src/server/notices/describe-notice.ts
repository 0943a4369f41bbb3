// A notice in the store's calm voice, in the shopper's language. A person-needed case never gets a
// canned apology: the shopper is told a person will contact them, and that they need not do
// anything yet.
import { daysBetween, dayInZone, formatDay } from '../../lib/dates.ts';
import type { Translator } from '../i18n/translator.ts';
import type { NoticeView } from '../orders/load-order.ts';

export interface NoticeWords {
  tone: 'warn' | 'bad' | 'info';
  title: string;
  body: string;
}

/** Words for a notice; `expectedDay` is the date the shopper was first given, if any. */
export function describeNotice(
  n: NoticeView,
  ctx: { words: Translator; timeZone: string; storeName: string; expectedDay: string | null; lastEventAt: number | null; now: number },
): NoticeWords {
  const { t, locale } = ctx.words;
  const day = (d: string) => formatDay(d, locale);
  const store = ctx.storeName;
  switch (n.kind) {
    case 'late': {
      const today = dayInZone(ctx.now, ctx.timeZone);
      const days = ctx.expectedDay ? Math.max(1, daysBetween(ctx.expectedDay, today)) : 0;
      const title = days > 0 && days < 4 ? t('notices.late.titleDays', { days }) : t('notices.late.title');
      const body = n.revisedDate
        ? ctx.expectedDay
          ? t('notices.late.revisedWasExpected', { date: day(n.revisedDate), expected: day(ctx.expectedDay) })
          : t('notices.late.revised', { date: day(n.revisedDate) })
        : ctx.expectedDay
          ? t('notices.late.checking', { expected: day(ctx.expectedDay) })
          : t('notices.late.checkingNoDate');
      return { tone: 'warn', title, body };
    }
    case 'stalled': {
      const since = n.since ?? ctx.lastEventAt;
      return {
        tone: 'warn',
        title: t('notices.stalled.title'),
        body: since ? t('notices.stalled.body', { date: day(dayInZone(since, ctx.timeZone)) }) : t('notices.stalled.bodyNoDate'),
      };
    }
    case 'not_scanned':
      return {
        tone: 'warn',
        title: t('notices.notScanned.title'),
        body: t('notices.notScanned.body', { date: day(dayInZone(n.since ?? n.openedAt, ctx.timeZone)), store }),
      };
    case 'delayed_dispatch':
      return { tone: 'warn', title: t('notices.delayedDispatch.title'), body: t('notices.delayedDispatch.body', { store }) };
    case 'exception':
      return exceptionWords(n, ctx.words, store);
  }
}

function exceptionWords(n: NoticeView, { t }: Translator, store: string): NoticeWords {
  const [status, detail] = (n.reason ?? '').split('/');
  const person = t('notices.exception.personWillContact', { store });
  if (detail === 'lost') return { tone: 'bad', title: t('notices.exception.lost'), body: person };
  if (detail === 'damaged') return { tone: 'bad', title: t('notices.exception.damaged'), body: person };
  switch (status) {
    case 'return_to_sender':
      return { tone: 'bad', title: t('notices.exception.returning'), body: person };
    case 'failure':
      return {
        tone: 'bad',
        title: detail === 'address_not_found' ? t('notices.exception.addressNotFound') : t('notices.exception.failed'),
        body: person,
      };
    case 'available_for_pickup':
      return { tone: 'info', title: t('notices.exception.pickup.title'), body: t('notices.exception.pickup.body') };
    case 'error':
      return { tone: 'warn', title: t('notices.exception.error.title'), body: t('notices.exception.error.body') };
    case 'cancelled':
      return { tone: 'warn', title: t('notices.exception.cancelled.title'), body: t('notices.exception.cancelled.body', { store }) };
    default:
      if (n.needsPerson) return { tone: 'bad', title: t('notices.exception.problem'), body: person };
      return { tone: 'warn', title: t('notices.exception.delay.title'), body: t('notices.exception.delay.body') };
  }
}
