// A period of calendar days as instants: from the start of `from` to the start of the day after
// `to`, in the given zone (the store's, for records that belong to no order's zone).
import { addDays, startOfDayInZone } from '../../lib/dates.ts';

/** [start, end) in epoch milliseconds of the days from..to in the zone. */
export function periodBounds(from: string, to: string, timeZone: string): { start: number; end: number } {
  return { start: startOfDayInZone(from, timeZone), end: startOfDayInZone(addDays(to, 1), timeZone) };
}
