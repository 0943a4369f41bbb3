// Date wording for shoppers, through Intl only. Calendar dates ('YYYY-MM-DD') are formatted in
// UTC so a day never shifts; instants are formatted in the order's time zone.

// Building an Intl.DateTimeFormat costs far more than using one, and the same few shapes are
// used all the time (every carrier event, every deadline), so formatters are kept per shape.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    if (formatters.size > 500) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/** A calendar day in the locale: "Thursday 26 November" (en-GB) or "Thursday, November 26" (en-US). */
export function formatDay(isoDate: string, locale: string): string {
  return formatter(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** The calendar day ('YYYY-MM-DD') an instant falls on in a time zone. */
export function dayInZone(epochMs: number, timeZone: string): string {
  return new Date(epochMs + zoneOffsetMs(epochMs, timeZone)).toISOString().slice(0, 10);
}

/** Date and time of an instant in the zone: "Tue, 24 Nov, 09:12". */
export function formatDateTime(epochMs: number, locale: string, timeZone: string): string {
  return formatter(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(new Date(epochMs));
}

/** Time of day of an instant in the zone: "9:12 AM". */
export function formatTime(epochMs: number, locale: string, timeZone: string): string {
  return formatter(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(epochMs));
}

/** Adds whole days to a calendar date. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Adds business days (Monday to Friday) to a calendar date. */
export function addBusinessDays(isoDate: string, days: number): string {
  let d = isoDate;
  let left = days;
  while (left > 0) {
    d = addDays(d, 1);
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

/** Whole days from a to b (calendar dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** True if Intl knows the time zone. */
export function isTimeZone(tz: string): boolean {
  const known = timeZoneChecks.get(tz);
  if (known !== undefined) return known;
  let ok = true;
  try {
    formatter('en', { timeZone: tz });
  } catch {
    ok = false;
  }
  if (timeZoneChecks.size > 1000) timeZoneChecks.clear();
  timeZoneChecks.set(tz, ok);
  return ok;
}
const timeZoneChecks = new Map<string, boolean>();

const QUARTER_HOUR = 900_000;
const offsets = new Map<string, number>();

/**
 * Milliseconds to add to UTC to get the wall-clock time in the zone at that instant. Zones change
 * their offset on quarter-hour boundaries, so the answer is kept per zone and quarter hour: the
 * deadline arithmetic asks for the same few thousand instants again and again.
 */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(epochMs / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = computeZoneOffset(Math.floor(epochMs / QUARTER_HOUR) * QUARTER_HOUR, timeZone);
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function computeZoneOffset(epochMs: number, timeZone: string): number {
  const parts = formatter('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/** The instant a calendar day starts (00:00) in the zone. */
export function startOfDayInZone(isoDate: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${isoDate}T00:00:00Z`);
  // Two passes settle days on which the offset changes (daylight saving).
  let t = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  t = utcMidnight - zoneOffsetMs(t, timeZone);
  // Where clocks jump over midnight (Santiago, Havana), the day starts at the first instant
  // that is already on it: step forward in quarter hours until we are on the day.
  const STEP = 15 * 60_000;
  while (dayInZone(t, timeZone) < isoDate) t += STEP;
  while (dayInZone(t - STEP, timeZone) === isoDate) t -= STEP;
  return t;
}

/**
 * Adds business hours (Monday to Friday, in the zone) to an instant, so a weekend never counts
 * towards "no scan for 72 hours". Hours starting on Saturday or Sunday are skipped whole.
 */
export function addBusinessHours(epochMs: number, hours: number, timeZone: string): number {
  const HOUR = 3_600_000;
  let t = epochMs;
  let left = hours;
  let offset = zoneOffsetMs(t, timeZone);
  let checked = t;
  while (left > 0) {
    t += HOUR;
    if (t - checked > 6 * HOUR) {
      offset = zoneOffsetMs(t, timeZone); // refresh now and then: daylight saving moves it
      checked = t;
    }
    const weekday = new Date(t - HOUR + offset).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return t;
}

/** Adds whole calendar months to a date; a day past the new month's end becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** A calendar day with its year, for dates far ahead or behind: "26 November 2027" (en-GB). */
export function formatLongDay(isoDate: string, locale: string): string {
  return formatter(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
