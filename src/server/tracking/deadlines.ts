// When silence or lateness becomes worth telling. Each deadline is stored on its row and indexed,
// so the delay scan reads only what is due (see changes/deadlines-passed.ts).
import { addBusinessDays, addDays, addBusinessHours, dayInZone, startOfDayInZone } from '../../lib/dates.ts';
import { ruleDay } from './estimate-delivery.ts';
import { SETTLED_STATUSES, type ShipmentStatus } from './statuses.ts';

/** The store's delay rules these deadlines follow (the store's settings carry them). */
export interface DelayRules {
  processingDays: number;
  transitDays: number;
  delayGraceDays: number;
  stalledScanHours: number;
  notScannedHours: number;
}

export interface DeadlineInput {
  status: ShipmentStatus;
  createdAt: number;
  firstScanAt: number | null;
  lastEventAt: number | null;
  promisedDate: string | null;
  carrierEstimateAt: number | null;
  placedAt: number;
  timeZone: string;
  settings: DelayRules;
}

const QUIET_STATUSES: ReadonlySet<ShipmentStatus> = new Set(['unknown', 'pre_transit', 'in_transit']);

/** The first date the shopper was given: the store's promise, else the carrier's, else the rule. */
export function firstEstimateDay(i: DeadlineInput): string {
  if (i.promisedDate) return i.promisedDate;
  if (i.carrierEstimateAt !== null) return new Date(i.carrierEstimateAt).toISOString().slice(0, 10);
  const shippedDay = i.firstScanAt !== null ? dayInZone(i.firstScanAt, i.timeZone) : dayInZone(i.createdAt, i.timeZone);
  return ruleDay({
    shippedDay,
    placedDay: dayInZone(i.placedAt, i.timeZone),
    processingDays: i.settings.processingDays,
    transitDays: i.settings.transitDays,
  });
}

/** When the parcel becomes late: the start of the day after estimate + grace days; null once settled. */
export function lateAt(i: DeadlineInput): number | null {
  if (SETTLED_STATUSES.has(i.status) || i.status === 'available_for_pickup') return null;
  return startOfDayInZone(addDays(firstEstimateDay(i), i.settings.delayGraceDays + 1), i.timeZone);
}

/** When the carrier's silence is worth telling: never scanned, or no scan for the store's threshold. */
export function quietAt(i: DeadlineInput): { at: number; kind: 'not_scanned' | 'stalled' } | null {
  if (!QUIET_STATUSES.has(i.status)) return null;
  if (i.firstScanAt === null) return { at: addBusinessHours(i.createdAt, i.settings.notScannedHours, i.timeZone), kind: 'not_scanned' };
  const last = Math.max(i.lastEventAt ?? i.firstScanAt, i.firstScanAt);
  return { at: addBusinessHours(last, Math.max(24, i.settings.stalledScanHours), i.timeZone), kind: 'stalled' };
}

/** When unshipped items become a delayed dispatch: the start of the day after processing days. */
export function dispatchDueAt(placedAt: number, timeZone: string, settings: DelayRules): number {
  const due = addBusinessDays(dayInZone(placedAt, timeZone), settings.processingDays);
  return startOfDayInZone(addDays(due, 1), timeZone);
}
