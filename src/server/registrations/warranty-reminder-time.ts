// When a warranty reminder falls due: a month before the warranty ends, at 10:00 in the order's
// time zone (the store's quiet hours still apply when it is sent).
import { addMonths, startOfDayInZone } from '../../lib/dates.ts';

const MORNING = 10 * 3_600_000;

/** The instant the reminder for a warranty ending on `endsOn` is due. */
export function reminderDueAt(endsOn: string, timeZone: string): number {
  return startOfDayInZone(addMonths(endsOn, -1), timeZone) + MORNING;
}
