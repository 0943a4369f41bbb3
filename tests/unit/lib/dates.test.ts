import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addDays,
  addMonths,
  dayInZone,
  daysBetween,
  formatDay,
  formatLongDay,
  isTimeZone,
} from '../../../src/lib/dates.ts';

describe('formatDay', () => {
  // 2026-11-26 is a Thursday; 2027-01-01 a Friday.
  it.each([
    ['en-US', 'Thursday, November 26'],
    ['en-GB', 'Thursday 26 November'],
    ['fr-FR', 'jeudi 26 novembre'],
    ['de-DE', 'Donnerstag, 26. November'],
    ['ja-JP', '11月26日木曜日'],
  ])('words a calendar day in %s', (locale, expected) => {
    expect(formatDay('2026-11-26', locale)).toBe(expected);
  });

  it('never shifts the day, whatever the process time zone', () => {
    // Calendar dates are formatted in UTC: the first of the month stays the first.
    expect(formatDay('2027-01-01', 'en-US')).toBe('Friday, January 1');
    expect(formatDay('2027-01-01', 'de-DE')).toBe('Freitag, 1. Januar');
  });
});

describe('dayInZone', () => {
  const instant = Date.parse('2026-11-25T20:00:00Z');

  it('gives the day the instant falls on in each zone', () => {
    expect(dayInZone(instant, 'Asia/Tokyo')).toBe('2026-11-26');
    expect(dayInZone(instant, 'America/Los_Angeles')).toBe('2026-11-25');
    expect(dayInZone(instant, 'UTC')).toBe('2026-11-25');
  });

  it('follows the daylight-saving change rather than a fixed offset', () => {
    // New York leaves EDT (UTC-4) on 2026-11-01 at 02:00 local: 04:30Z is still 00:30 on the 1st.
    const t = Date.parse('2026-11-01T04:30:00Z');
    expect(dayInZone(t, 'America/New_York')).toBe('2026-11-01');
    expect(dayInZone(t, 'Etc/GMT+5')).toBe('2026-10-31'); // a fixed UTC-5 would say the 31st
    // London is on BST (UTC+1) after 2026-03-29: 23:30Z is already the next day there.
    expect(dayInZone(Date.parse('2026-03-29T23:30:00Z'), 'Europe/London')).toBe('2026-03-30');
    expect(dayInZone(Date.parse('2026-01-29T23:30:00Z'), 'Europe/London')).toBe('2026-01-29');
  });
});

describe('addDays and addBusinessDays', () => {
  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('skips Saturdays and Sundays', () => {
    // 2026-11-27 is a Friday.
    expect(addBusinessDays('2026-11-27', 1)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-27', 5)).toBe('2026-12-04');
    expect(addBusinessDays('2026-11-23', 4)).toBe('2026-11-27');
    expect(addBusinessDays('2026-11-23', 5)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-23', 10)).toBe('2026-12-07');
  });

  it('starting on a weekend counts Monday as the first business day', () => {
    expect(addBusinessDays('2026-11-28', 1)).toBe('2026-11-30'); // Saturday → Monday
    expect(addBusinessDays('2026-11-29', 2)).toBe('2026-12-01'); // Sunday → Tuesday
  });

  it('adds nothing for zero days', () => {
    expect(addBusinessDays('2026-11-28', 0)).toBe('2026-11-28');
  });
});

describe('daysBetween', () => {
  it('counts whole calendar days, signed', () => {
    expect(daysBetween('2026-11-20', '2026-11-25')).toBe(5);
    expect(daysBetween('2026-11-25', '2026-11-20')).toBe(-5);
    expect(daysBetween('2026-11-25', '2026-11-25')).toBe(0);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31); // across a DST change in most zones
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });
});

describe('isTimeZone', () => {
  it.each(['UTC', 'Europe/London', 'Asia/Tokyo', 'America/Los_Angeles', 'Australia/Lord_Howe'])('accepts %s', (tz) => {
    expect(isTimeZone(tz)).toBe(true);
  });

  it.each(['', 'Mars/Olympus', 'Europe/Atlantis', 'not a zone', 'GMT+25'])('refuses %j', (tz) => {
    expect(isTimeZone(tz)).toBe(false);
  });
});

describe('addMonths and formatLongDay (warranty ends)', () => {
  it('adds calendar months, a day past the month’s end becoming its last day', () => {
    expect(addMonths('2026-11-25', 24)).toBe('2028-11-25');
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2027-12-31', 2)).toBe('2028-02-29');
    expect(addMonths('2028-11-25', -1)).toBe('2028-10-25');
    expect(addMonths('2028-03-31', -1)).toBe('2028-02-29');
  });

  it('writes the day with its year in the locale', () => {
    expect(formatLongDay('2028-11-25', 'en-US')).toBe('November 25, 2028');
    expect(formatLongDay('2028-11-25', 'de-DE')).toBe('25. November 2028');
  });
});
