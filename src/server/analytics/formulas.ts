// The formulas behind every analytics figure, as pure functions over counts, so each can be tested
// on hand-computed data and stated beside the figure it makes (FORMULAS below is what the API and
// the page print).

/** A histogram of whole-day values: value → how many parcels. */
export type Histogram = ReadonlyMap<number, number>;

/**
 * The p-th percentile by the nearest-rank method: the smallest value v such that at least p% of
 * the values are ≤ v (rank ⌈p/100 · n⌉ in ascending order). Null for an empty histogram. Always a
 * value that occurred, never an interpolation, so "p90 3 days" means 90% took 3 days or fewer.
 */
export function percentileNearestRank(histogram: Histogram, p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} outside (0, 100]`);
  const values = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = values.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const [value, n] of values) {
    seen += n;
    if (seen >= rank) return value;
  }
  return values[values.length - 1]![0];
}

/** part / whole as a percentage with one decimal (half away from zero); null when whole is 0. */
export function percent(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/** Transit in calendar days: delivery day minus first-scan day (both in the order's zone). */
export function transitDays(firstScanDay: string, deliveredDay: string): number {
  return Math.max(0, Math.round((Date.parse(`${deliveredDay}T00:00:00Z`) - Date.parse(`${firstScanDay}T00:00:00Z`)) / 86_400_000));
}

/** On time: delivered on or before the first estimate the shopper was shown. */
export function isOnTime(deliveredDay: string, firstEstimateDate: string): boolean {
  return deliveredDay <= firstEstimateDate;
}

/** The formula stated beside each figure. */
export const FORMULAS = {
  parcels: 'parcels whose delivery scan falls in [from, to], as calendar days in the order’s time zone',
  onTimePercent:
    '100 × parcels delivered on or before the first estimate shown ÷ parcels delivered; the first estimate is the order’s promised date, else the carrier’s first estimate, else the store’s rule at the first scan, fixed once set',
  transitDays:
    'calendar days (order’s time zone) from the first carrier scan to the delivery scan; p50 and p90 by nearest rank (the smallest value at least 50% / 90% of parcels are at or under); parcels with no first scan are left out and counted in withoutFirstScan',
  firstAttemptPercent:
    '100 × parcels delivered with no earlier failed attempt (failure, attempted delivery, delivery exception, address not found, held for pickup) ÷ parcels delivered',
  toldLatePercent: '100 × delivered parcels that had a late notice before arriving ÷ parcels delivered',
  exceptionPercent: '100 × delivered parcels that had a carrier exception notice before arriving ÷ parcels delivered',
  notices: 'notices opened in [from, to] (store’s time zone), by kind and carrier; a parcel counts once per kind it was told',
  caseResolution:
    'cases opened in [from, to]; resolved = of those, resolved by now; hours to resolve p50 / p90 by nearest rank over resolved cases (resolvedAt − createdAt)',
  returns: 'units in returns requested in [from, to] (store’s time zone), by reason and by product; cancelled returns left out',
  returnRate:
    'return rate % = 100 × units of the product in returns requested in [from, to] (store’s time zone, cancelled left out) ÷ units of the product delivered in [from, to] (delivery day in the order’s time zone), one decimal; — when none was delivered',
  messages:
    'messages queued in [from, to] (store’s time zone), by channel and kind, by their status now: sent, failed, suppressed (a bounced or unsubscribed address); events out by endpoint (webhook, klaviyo) and event type: sent = delivered (a 2xx), failed = retries ran out',
  clicks:
    'clicks = links of those messages followed at least once through Waypost’s redirect (one per message and link, however often; no cookies, no open pixels, nothing personal); clicked % = 100 × messages with a click ÷ sent',
  unsubscribed:
    'addresses that stopped marketing email in [from, to] (one-click unsubscribe or the email preferences page) and have not resumed it; an unsubscribe names an address, not a message, so it has no kind',
  ratings:
    'reviews written in [from, to] (store’s time zone), every status but rejected: count and average stars (one decimal), by product',
  deflection:
    'visits = order-page views in [from, to] (UTC days, no cookies, nothing personal); visited orders = orders with ≥ 1 view; contacted = visited orders with a problem report or case opened within 48 h after a view; deflection % = 100 × (visited orders − contacted) ÷ visited orders',
  checkIns:
    'check-ins asked in [from, to] (store’s time zone; a parcel answered on its page before the question went counts from its answer’s time): asked, all good, problem, unanswered = asked − all good − problem; parcels never asked (a case or return already open) left out',
  checkinProblemPercent: '100 × problem answers ÷ answered check-ins (all good + problem), one decimal',
  warrantyRegistrations:
    'warranty registrations made in [from, to] (store’s time zone), one per order and product, registering again counted once; with reminders = of those, the shopper asked for the reminder before the warranty ends',
  warrantyRegisteredParcelPercent:
    'registered parcels % = 100 × parcels delivered in [from, to] (delivery day in the order’s time zone, return parcels left out) with at least one item registered for warranty by now ÷ parcels delivered in [from, to], one decimal; — when none was delivered',
  afterDeliveryMessages:
    'follow-up and replenishment messages sent in [from, to] (store’s time zone, time sent), every channel; status sent',
  previous: 'the same figures over the period of equal length ending the day before from',
} as const;
