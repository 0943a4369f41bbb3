// Quiet hours in the recipient's time zone: news that can wait is held until they end (never dropped).
import { zoneOffsetMs } from '../../lib/dates.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `t` itself when it falls outside the quiet hours in `timeZone`, else the instant they end. */
export function nextSendTime(t: number, timeZone: string, quiet: { start: string; end: string }): number {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return t;
  const wall = t + zoneOffsetMs(t, timeZone);
  const minute = Math.floor((((wall % DAY) + DAY) % DAY) / MINUTE);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return t;
  const wait = (((end - minute) % 1440) + 1440) % 1440;
  const wallEnd = Math.floor(wall / MINUTE) * MINUTE + wait * MINUTE;
  // Back to an instant: the offset at the end (a daylight-saving change may fall in between).
  return wallEnd - zoneOffsetMs(wallEnd - zoneOffsetMs(t, timeZone), timeZone);
}
