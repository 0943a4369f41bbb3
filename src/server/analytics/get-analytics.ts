// The merchant's analytics for a period and its filters: every figure with the formula that made
// it, and the previous period beside it. The read model behind GET /api/v1/analytics and
// /admin/analytics.
import type { Store } from '../stores/store.ts';
import {
  readAfterDeliveryMessages,
  readCheckinFigures,
  readWarrantyFigures,
  type AfterDeliveryMessageFigures,
  type CheckinReportFigures,
  type WarrantyFigures,
} from './after-delivery-figures.ts';
import type { AnalyticsQuery } from './analytics-query.ts';
import { readDeflection, type DeflectionFigures } from './deflection-figures.ts';
import { readDeliveryFigures, type DeliveryReport } from './delivery-figures.ts';
import { readCaseFigures, readNoticeFigures, type CaseRow, type NoticeRow } from './exception-figures.ts';
import { FORMULAS, percent } from './formulas.ts';
import { readMessageFigures, withPrevious, type MessageFigures, type MessageRow } from './message-figures.ts';
import { readRatingFigures, readReturnFigures, type RatingRow, type ReturnProductRow, type ReturnReasonRow } from './product-figures.ts';

/** The whole analytics answer. */
export interface AnalyticsReport {
  from: string;
  to: string;
  previous: { from: string; to: string };
  filters: { carrier: string | null; service: string | null; country: string | null };
  delivery: DeliveryReport & {
    formula: Record<
      'parcels' | 'onTimePercent' | 'transitDays' | 'firstAttemptPercent' | 'toldLatePercent' | 'exceptionPercent' | 'previous',
      string
    >;
  };
  exceptions: { notices: NoticeRow[]; cases: CaseRow[]; formula: { notices: string; cases: string } };
  returns: { byReason: ReturnReasonRow[]; byProduct: ReturnProductRow[]; formula: string; formulaReturnRate: string };
  ratings: { byProduct: RatingRow[]; formula: string };
  deflection: DeflectionFigures & { previous: DeflectionFigures; formula: string };
  messages: {
    channels: MessageRow[];
    totals: MessageFigures['totals'];
    previous: MessageFigures['totals'];
    formula: { messages: string; clicks: string; unsubscribed: string };
  };
  checkIns: CheckinReportFigures & {
    previous: CheckinReportFigures;
    formula: { checkIns: string; problemPercent: string };
  };
  warranty: WarrantyFigures & {
    registeredParcelPercent: number | null;
    previous: WarrantyFigures & { registeredParcelPercent: number | null };
    formula: string;
    formulaRegisteredParcelPercent: string;
  };
  afterDeliveryMessages: AfterDeliveryMessageFigures & { previous: AfterDeliveryMessageFigures; formula: string };
}

/** Computes the store's analytics for the validated period and filters. */
export async function getAnalytics(opts: { store: Store; query: AnalyticsQuery }): Promise<AnalyticsReport> {
  const { store, query: q } = opts;
  const zone = store.settings.timeZone;
  const [delivery, notices, cases, returns, ratings, deflection, deflectionBefore, afterDelivery, messages, messagesBefore] =
    await Promise.all([
      readDeliveryFigures(store.id, q),
      readNoticeFigures(store.id, q, zone),
      readCaseFigures(store.id, q, zone),
      readReturnFigures(store.id, q, zone),
      readRatingFigures(store.id, q, zone),
      readDeflection(store.id, q),
      readDeflection(store.id, { ...q, ...q.previous }),
      readAfterDelivery(store.id, q, zone),
      readMessageFigures(store.id, q, zone),
      readMessageFigures(store.id, q.previous, zone),
    ]);
  return {
    from: q.from,
    to: q.to,
    previous: q.previous,
    filters: { carrier: q.carrier, service: q.service, country: q.country },
    delivery: {
      ...delivery,
      formula: {
        parcels: FORMULAS.parcels,
        onTimePercent: FORMULAS.onTimePercent,
        transitDays: FORMULAS.transitDays,
        firstAttemptPercent: FORMULAS.firstAttemptPercent,
        toldLatePercent: FORMULAS.toldLatePercent,
        exceptionPercent: FORMULAS.exceptionPercent,
        previous: FORMULAS.previous,
      },
    },
    exceptions: { notices, cases, formula: { notices: FORMULAS.notices, cases: FORMULAS.caseResolution } },
    returns: { ...returns, formula: FORMULAS.returns, formulaReturnRate: FORMULAS.returnRate },
    ratings: { byProduct: ratings, formula: FORMULAS.ratings },
    deflection: { ...deflection, previous: deflectionBefore, formula: FORMULAS.deflection },
    messages: {
      channels: withPrevious(messages, messagesBefore),
      totals: messages.totals,
      previous: messagesBefore.totals,
      formula: { messages: FORMULAS.messages, clicks: FORMULAS.clicks, unsubscribed: FORMULAS.unsubscribed },
    },
    ...afterDelivery,
    warranty: {
      ...afterDelivery.warranty,
      // Of the parcels delivered in the period (the delivery figures' parcels, the same filters).
      registeredParcelPercent: percent(afterDelivery.warranty.registeredParcels, delivery.overall.parcels),
      previous: {
        ...afterDelivery.warranty.previous,
        registeredParcelPercent: percent(afterDelivery.warranty.previous.registeredParcels, delivery.overall.previous.parcels),
      },
      formulaRegisteredParcelPercent: FORMULAS.warrantyRegisteredParcelPercent,
    },
  };
}

/** Check-ins, warranty registrations and after-delivery messages of the period and the previous one. */
async function readAfterDelivery(
  storeId: string,
  q: AnalyticsQuery,
  zone: string,
): Promise<
  Pick<AnalyticsReport, 'checkIns' | 'afterDeliveryMessages'> & {
    warranty: WarrantyFigures & { previous: WarrantyFigures; formula: string };
  }
> {
  const [checkIns, checkInsBefore, warranty, warrantyBefore, messages, messagesBefore] = await Promise.all([
    readCheckinFigures(storeId, q, zone),
    readCheckinFigures(storeId, { ...q, ...q.previous }, zone),
    readWarrantyFigures(storeId, q, zone),
    readWarrantyFigures(storeId, { ...q, ...q.previous }, zone),
    readAfterDeliveryMessages(storeId, q, zone),
    readAfterDeliveryMessages(storeId, { ...q, ...q.previous }, zone),
  ]);
  return {
    checkIns: {
      ...checkIns,
      previous: checkInsBefore,
      formula: { checkIns: FORMULAS.checkIns, problemPercent: FORMULAS.checkinProblemPercent },
    },
    warranty: { ...warranty, previous: warrantyBefore, formula: FORMULAS.warrantyRegistrations },
    afterDeliveryMessages: { ...messages, previous: messagesBefore, formula: FORMULAS.afterDeliveryMessages },
  };
}
