import { describe, expect, it } from 'vitest';
import { addBusinessHours, dayInZone, startOfDayInZone, zoneOffsetMs } from '../../../src/lib/dates.ts';
import { SettingsSchema, type StoreSettings } from '../../../src/server/stores/settings.ts';
import { dispatchDueAt, firstEstimateDay, lateAt, quietAt, type DeadlineInput } from '../../../src/server/tracking/deadlines.ts';
import { SHIPMENT_STATUSES, type ShipmentStatus } from '../../../src/server/tracking/statuses.ts';

const H = 3_600_000;
const NY = 'America/New_York';
const at = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const defaults: StoreSettings = SettingsSchema.parse({});

// 2026-11-20 is a Friday; 2026-11-21/22 a weekend. New York: EST (UTC-5) from 2026-11-01 02:00
// local, EDT (UTC-4) from 2026-03-08 02:00 local.

describe('zoneOffsetMs', () => {
  it.each([
    ['2026-03-08T06:59:59Z', NY, -5 * 60], // 01:59:59 EST, the last second before the jump
    ['2026-03-08T07:00:00Z', NY, -4 * 60], // 03:00 EDT
    ['2026-11-01T05:59:59Z', NY, -4 * 60], // 01:59:59 EDT, the first 1:59
    ['2026-11-01T06:00:00Z', NY, -5 * 60], // 01:00 EST, the second 1:00
    ['2026-07-01T12:00:00Z', 'Europe/London', 60],
    ['2026-01-01T12:00:00Z', 'Europe/London', 0],
    ['2026-06-01T00:00:00Z', 'Asia/Kathmandu', 5 * 60 + 45],
    ['2026-06-01T00:00:00Z', 'UTC', 0],
  ])('at %s in %s is %d minutes', (instant, tz, minutes) => {
    expect(zoneOffsetMs(at(instant), tz)).toBe(minutes * 60_000);
  });

  it('ignores the milliseconds of the instant, also before 1970', () => {
    expect(zoneOffsetMs(at('2026-11-01T05:30:00.999Z'), NY)).toBe(-4 * H);
    expect(zoneOffsetMs(-1500, 'UTC')).toBe(0);
    expect(zoneOffsetMs(1500, 'UTC')).toBe(0);
  });
});

describe('startOfDayInZone', () => {
  it.each([
    ['2026-11-21', 'UTC', '2026-11-21T00:00:00.000Z'],
    ['2026-11-21', 'Asia/Tokyo', '2026-11-20T15:00:00.000Z'],
    ['2026-11-21', 'Pacific/Kiritimati', '2026-11-20T10:00:00.000Z'],
    ['2026-11-21', 'Pacific/Pago_Pago', '2026-11-21T11:00:00.000Z'],
    ['2026-03-07', NY, '2026-03-07T05:00:00.000Z'],
    ['2026-03-08', NY, '2026-03-08T05:00:00.000Z'], // the day clocks spring forward starts in EST
    ['2026-03-09', NY, '2026-03-09T04:00:00.000Z'],
    ['2026-10-31', NY, '2026-10-31T04:00:00.000Z'],
    ['2026-11-01', NY, '2026-11-01T04:00:00.000Z'], // the day clocks fall back starts in EDT
    ['2026-11-02', NY, '2026-11-02T05:00:00.000Z'],
    ['2026-03-29', 'Europe/London', '2026-03-29T00:00:00.000Z'],
    ['2026-10-25', 'Europe/London', '2026-10-24T23:00:00.000Z'],
  ])('%s in %s starts at %s', (day, tz, expected) => {
    const t = startOfDayInZone(day, tz);
    expect(new Date(t).toISOString()).toBe(expected);
    expect(dayInZone(t, tz)).toBe(day);
    expect(dayInZone(t - 1, tz)).not.toBe(day);
  });

  // Where daylight saving starts at midnight, 00:00 does not exist: the day starts at 01:00.
  // Santiago jumps 2026-09-06 00:00 (UTC-4) → 01:00 (UTC-3); Havana 2026-03-08 00:00 (UTC-5) → 01:00 (UTC-4).
  it.each([
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
    ['2026-03-08', 'America/Havana', '2026-03-08T05:00:00.000Z'],
  ])('a day whose midnight is skipped (%s in %s) starts on that day, at %s', (day, tz, expected) => {
    const t = startOfDayInZone(day, tz);
    expect(dayInZone(t, tz)).toBe(day);
    expect(new Date(t).toISOString()).toBe(expected);
  });
});

describe('addBusinessHours', () => {
  it('counts hours on weekdays one for one', () => {
    expect(iso(addBusinessHours(at('2026-11-23T15:00:00Z'), 5, NY))).toBe('2026-11-23T20:00:00.000Z');
    expect(iso(addBusinessHours(at('2026-11-23T15:00:00Z'), 24, NY))).toBe('2026-11-24T15:00:00.000Z');
  });

  it('adds nothing for zero hours, to the millisecond', () => {
    expect(addBusinessHours(at('2026-11-20T12:34:56.789Z'), 0, NY)).toBe(at('2026-11-20T12:34:56.789Z'));
  });

  it('skips Saturday and Sunday in the zone whole', () => {
    // Friday 12:00 EST + 72: 12 h on Friday, the weekend skipped, Monday 24, Tuesday 24, Wednesday 12.
    expect(iso(addBusinessHours(at('2026-11-20T17:00:00Z'), 72, NY))).toBe('2026-11-25T17:00:00.000Z');
    // Starting on Saturday 10:00 EST: the first hour that counts is Monday 00:00.
    expect(iso(addBusinessHours(at('2026-11-21T15:00:00Z'), 24, NY))).toBe('2026-11-24T05:00:00.000Z');
    expect(iso(addBusinessHours(at('2026-11-22T23:00:00Z'), 1, NY))).toBe('2026-11-23T06:00:00.000Z');
  });

  it('judges the weekend by the zone, not by UTC', () => {
    // Friday 21:00 EST is Saturday 02:00 UTC: in New York that hour still counts.
    expect(iso(addBusinessHours(at('2026-11-21T02:00:00Z'), 2, NY))).toBe('2026-11-21T04:00:00.000Z');
    // In UTC the same instant is on Saturday: the two hours land on Monday.
    expect(iso(addBusinessHours(at('2026-11-21T02:00:00Z'), 2, 'UTC'))).toBe('2026-11-23T02:00:00.000Z');
    // Tokyo's Monday 08:00 is Sunday 23:00 UTC.
    expect(iso(addBusinessHours(at('2026-11-22T23:00:00Z'), 1, 'Asia/Tokyo'))).toBe('2026-11-23T00:00:00.000Z');
  });

  it('an hour that starts on Friday counts even if it ends on Saturday', () => {
    // Friday 23:30 EST + 1 → Saturday 00:30 EST.
    expect(iso(addBusinessHours(at('2026-11-21T04:30:00Z'), 1, NY))).toBe('2026-11-21T05:30:00.000Z');
    // The next hour starts on Saturday 00:30: skipped, and so on until the hour from Monday 00:30.
    expect(iso(addBusinessHours(at('2026-11-21T04:30:00Z'), 2, NY))).toBe('2026-11-23T06:30:00.000Z');
  });

  it('follows daylight saving: the weekend of 2026-03-08 is 47 hours long, that of 2026-11-01 49', () => {
    // Friday 2026-03-06 12:00 EST + 72 business hours → Wednesday 2026-03-11 12:00 EDT.
    const spring = addBusinessHours(at('2026-03-06T17:00:00Z'), 72, NY);
    expect(iso(spring)).toBe('2026-03-11T16:00:00.000Z');
    expect((spring - at('2026-03-06T17:00:00Z')) / H).toBe(72 + 47);
    // Friday 2026-10-30 12:00 EDT + 72 → Wednesday 2026-11-04 12:00 EST.
    const autumn = addBusinessHours(at('2026-10-30T16:00:00Z'), 72, NY);
    expect(iso(autumn)).toBe('2026-11-04T17:00:00.000Z');
    expect((autumn - at('2026-10-30T16:00:00Z')) / H).toBe(72 + 49);
  });
});

function input(over: Partial<DeadlineInput> = {}): DeadlineInput {
  return {
    status: 'in_transit',
    createdAt: at('2026-11-20T15:00:00Z'),
    firstScanAt: null,
    lastEventAt: null,
    promisedDate: null,
    carrierEstimateAt: null,
    placedAt: at('2026-11-20T14:03:00Z'),
    timeZone: NY,
    settings: defaults,
    ...over,
  };
}

describe('firstEstimateDay', () => {
  it("takes the store's promise first", () => {
    expect(firstEstimateDay(input({ promisedDate: '2026-11-25', carrierEstimateAt: at('2026-11-30T00:00:00Z') }))).toBe('2026-11-25');
  });

  it("then the carrier's estimate, as its UTC calendar day", () => {
    expect(firstEstimateDay(input({ carrierEstimateAt: at('2026-11-27T00:00:00Z') }))).toBe('2026-11-27');
    expect(firstEstimateDay(input({ carrierEstimateAt: at('2026-11-28T02:00:00Z') }))).toBe('2026-11-28');
  });

  it('then the rule: transit business days from the first scan day in the zone', () => {
    // First scan Friday 2026-11-20 → 5 business days → Friday 2026-11-27.
    expect(firstEstimateDay(input({ firstScanAt: at('2026-11-20T16:00:00Z') }))).toBe('2026-11-27');
    // No scan yet: from the label's day. Monday 22:00 EST is Tuesday in UTC.
    expect(firstEstimateDay(input({ createdAt: at('2026-11-24T03:00:00Z') }))).toBe('2026-11-30');
    expect(firstEstimateDay(input({ createdAt: at('2026-11-24T03:00:00Z'), timeZone: 'UTC' }))).toBe('2026-12-01');
    expect(firstEstimateDay(input({ createdAt: at('2026-11-24T03:00:00Z'), settings: { ...defaults, transitDays: 2 } }))).toBe(
      '2026-11-25',
    );
  });
});

describe('lateAt', () => {
  it('is the start of the day after the estimate plus the grace days, in the zone', () => {
    expect(iso(lateAt(input({ promisedDate: '2026-11-25' })))).toBe('2026-11-27T05:00:00.000Z');
    expect(iso(lateAt(input({ promisedDate: '2026-11-25', settings: { ...defaults, delayGraceDays: 0 } })))).toBe(
      '2026-11-26T05:00:00.000Z',
    );
    expect(iso(lateAt(input({ promisedDate: '2026-11-25', settings: { ...defaults, delayGraceDays: 3 } })))).toBe(
      '2026-11-29T05:00:00.000Z',
    );
    expect(iso(lateAt(input({ promisedDate: '2026-11-25', timeZone: 'Asia/Tokyo' })))).toBe('2026-11-26T15:00:00.000Z');
  });

  it('lands on the right side of a daylight-saving change', () => {
    expect(iso(lateAt(input({ promisedDate: '2026-10-30' })))).toBe('2026-11-01T04:00:00.000Z'); // EDT midnight
    expect(iso(lateAt(input({ promisedDate: '2026-10-31' })))).toBe('2026-11-02T05:00:00.000Z'); // EST midnight
    expect(iso(lateAt(input({ promisedDate: '2026-03-06' })))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(lateAt(input({ promisedDate: '2026-03-07' })))).toBe('2026-03-09T04:00:00.000Z');
  });

  it('uses the rule when nothing was promised', () => {
    // First scan Friday → expected Friday 2026-11-27 → late from Sunday 2026-11-29 00:00 EST.
    expect(iso(lateAt(input({ firstScanAt: at('2026-11-20T16:00:00Z') })))).toBe('2026-11-29T05:00:00.000Z');
  });

  it('in a zone whose midnight is skipped, is not told on the evening before', () => {
    // Santiago: 2026-09-06 starts at 01:00 -03 (04:00Z); 03:00Z is still Saturday 23:00 -04.
    const t = lateAt(input({ promisedDate: '2026-09-04', timeZone: 'America/Santiago' }));
    expect(dayInZone(t!, 'America/Santiago')).toBe('2026-09-06');
    expect(iso(t)).toBe('2026-09-06T04:00:00.000Z');
  });

  const never: ShipmentStatus[] = ['delivered', 'return_to_sender', 'cancelled', 'available_for_pickup'];
  it.each(never)('is null once the parcel is %s', (status) => {
    expect(lateAt(input({ status, promisedDate: '2026-11-25' }))).toBeNull();
  });

  it.each(SHIPMENT_STATUSES.filter((s) => !never.includes(s)))('is set while the parcel is %s', (status) => {
    expect(iso(lateAt(input({ status, promisedDate: '2026-11-25' })))).toBe('2026-11-27T05:00:00.000Z');
  });
});

describe('quietAt', () => {
  it.each(['unknown', 'pre_transit', 'in_transit'] as const)(
    'a %s parcel never scanned: not_scanned, 48 business hours after the label',
    (status) => {
      // Label Friday 10:00 EST: 14 h Friday, weekend skipped, 24 Monday, 10 Tuesday → Tuesday 10:00 EST.
      expect(quietAt(input({ status }))).toEqual({ kind: 'not_scanned', at: at('2026-11-24T15:00:00Z') });
    },
  );

  it('a label made on Saturday starts counting on Monday', () => {
    expect(quietAt(input({ status: 'pre_transit', createdAt: at('2026-11-21T15:00:00Z') }))).toEqual({
      kind: 'not_scanned',
      at: at('2026-11-25T05:00:00Z'),
    });
  });

  it('a scanned parcel: stalled, 72 business hours after the last event, the weekend not counted', () => {
    // Last scan Friday 15:00 EST → Wednesday 15:00 EST, 120 real hours later.
    const q = quietAt(input({ firstScanAt: at('2026-11-20T16:00:00Z'), lastEventAt: at('2026-11-20T20:00:00Z') }));
    expect(q).toEqual({ kind: 'stalled', at: at('2026-11-25T20:00:00Z') });
  });

  it('counts from the first scan when no later event is stored, or when the last event is older', () => {
    expect(quietAt(input({ firstScanAt: at('2026-11-23T15:00:00Z') }))).toEqual({ kind: 'stalled', at: at('2026-11-26T15:00:00Z') });
    expect(quietAt(input({ firstScanAt: at('2026-11-23T15:00:00Z'), lastEventAt: at('2026-11-23T10:00:00Z') }))).toEqual({
      kind: 'stalled',
      at: at('2026-11-26T15:00:00Z'),
    });
  });

  it('follows the daylight-saving change', () => {
    expect(quietAt(input({ firstScanAt: at('2026-10-30T16:00:00Z') }))?.at).toBe(at('2026-11-04T17:00:00Z'));
    expect(quietAt(input({ firstScanAt: at('2026-03-06T17:00:00Z') }))?.at).toBe(at('2026-03-11T16:00:00Z'));
  });

  it('uses the store’s thresholds, but never waits under 24 hours for a stall', () => {
    const first = at('2026-11-23T15:00:00Z'); // Monday 10:00 EST
    expect(quietAt(input({ firstScanAt: first, settings: { ...defaults, stalledScanHours: 30 } }))?.at).toBe(first + 30 * H);
    expect(quietAt(input({ firstScanAt: first, settings: { ...defaults, stalledScanHours: 1 } }))?.at).toBe(first + 24 * H);
    expect(quietAt(input({ firstScanAt: first, settings: { ...defaults, stalledScanHours: 0 } }))?.at).toBe(first + 24 * H);
    expect(quietAt(input({ createdAt: first, settings: { ...defaults, notScannedHours: 24 } }))).toEqual({
      kind: 'not_scanned',
      at: first + 24 * H,
    });
  });

  it.each(['out_for_delivery', 'delivered', 'available_for_pickup', 'return_to_sender', 'failure', 'cancelled', 'error'] as const)(
    'is null for a %s parcel',
    (status) => {
      expect(quietAt(input({ status }))).toBeNull();
      expect(quietAt(input({ status, firstScanAt: at('2026-11-20T16:00:00Z') }))).toBeNull();
    },
  );
});

describe('dispatchDueAt', () => {
  it('is the start of the day after the processing business days', () => {
    // Placed Friday 2026-11-20; 2 business days → Tuesday 24th; due from Wednesday 25th 00:00.
    expect(iso(dispatchDueAt(at('2026-11-20T14:03:00Z'), 'UTC', defaults))).toBe('2026-11-25T00:00:00.000Z');
    expect(iso(dispatchDueAt(at('2026-11-20T14:03:00Z'), NY, defaults))).toBe('2026-11-25T05:00:00.000Z');
    expect(iso(dispatchDueAt(at('2026-11-20T14:03:00Z'), NY, { ...defaults, processingDays: 0 }))).toBe('2026-11-21T05:00:00.000Z');
  });

  it('takes the day the order was placed in the zone', () => {
    // Monday 22:00 EST is Tuesday in UTC.
    const placed = at('2026-11-24T03:00:00Z');
    expect(iso(dispatchDueAt(placed, NY, { ...defaults, processingDays: 1 }))).toBe('2026-11-25T05:00:00.000Z');
    expect(iso(dispatchDueAt(placed, 'UTC', { ...defaults, processingDays: 1 }))).toBe('2026-11-26T00:00:00.000Z');
  });

  it('lands on the right side of a daylight-saving change', () => {
    const placed = at('2026-10-29T12:00:00Z'); // Thursday
    expect(iso(dispatchDueAt(placed, NY, { ...defaults, processingDays: 1 }))).toBe('2026-10-31T04:00:00.000Z');
    expect(iso(dispatchDueAt(placed, NY, { ...defaults, processingDays: 2 }))).toBe('2026-11-03T05:00:00.000Z');
    expect(iso(dispatchDueAt(at('2026-03-05T15:00:00Z'), NY, { ...defaults, processingDays: 2 }))).toBe('2026-03-10T04:00:00.000Z');
  });
});
