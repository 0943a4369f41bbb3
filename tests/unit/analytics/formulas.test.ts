// Every formula on hand-computed data.
import { describe, expect, it } from 'vitest';
import { isOnTime, percent, percentileNearestRank, transitDays } from '../../../src/server/analytics/formulas.ts';

const hist = (values: number[]) => {
  const m = new Map<number, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

describe('percentileNearestRank', () => {
  it('is the smallest value with at least p% at or under it (rank ⌈p·n/100⌉)', () => {
    // 10 values sorted: 1 2 2 3 3 3 4 5 7 9. p50: rank 5 → 3. p90: rank 9 → 7. p100: 9. p10: rank 1 → 1.
    const h = hist([3, 1, 2, 9, 3, 4, 2, 7, 3, 5]);
    expect(percentileNearestRank(h, 50)).toBe(3);
    expect(percentileNearestRank(h, 90)).toBe(7);
    expect(percentileNearestRank(h, 100)).toBe(9);
    expect(percentileNearestRank(h, 10)).toBe(1);
    // p91: rank ⌈9.1⌉ = 10 → 9 (no interpolation between 7 and 9).
    expect(percentileNearestRank(h, 91)).toBe(9);
  });

  it('never interpolates: two values, p50 is the lower one', () => {
    expect(percentileNearestRank(hist([2, 4]), 50)).toBe(2);
    expect(percentileNearestRank(hist([2, 4]), 51)).toBe(4);
  });

  it('counts a histogram bucket as that many parcels', () => {
    // 3 parcels of 1 day, 1 of 10 days: p50 rank 2 → 1; p90 rank ⌈3.6⌉ = 4 → 10.
    const h = new Map([
      [10, 1],
      [1, 3],
      [5, 0],
    ]);
    expect(percentileNearestRank(h, 50)).toBe(1);
    expect(percentileNearestRank(h, 90)).toBe(10);
  });

  it('is null with nothing to rank, and refuses a percentile outside (0, 100]', () => {
    expect(percentileNearestRank(new Map(), 50)).toBeNull();
    expect(percentileNearestRank(new Map([[3, 0]]), 50)).toBeNull();
    expect(() => percentileNearestRank(hist([1]), 0)).toThrow(RangeError);
    expect(() => percentileNearestRank(hist([1]), 101)).toThrow(RangeError);
  });
});

describe('percent', () => {
  it('is a percentage with one decimal, null over nothing', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(3, 3)).toBe(100);
    expect(percent(0, 5)).toBe(0);
    expect(percent(0, 0)).toBeNull();
  });
});

describe('transitDays and on time', () => {
  it('counts calendar days between the two local days', () => {
    expect(transitDays('2026-11-20', '2026-11-20')).toBe(0);
    expect(transitDays('2026-11-20', '2026-11-23')).toBe(3);
    expect(transitDays('2026-12-30', '2027-01-02')).toBe(3);
    // Across the end of daylight saving time (Europe, 25 October 2026), still whole days.
    expect(transitDays('2026-10-24', '2026-10-26')).toBe(2);
  });

  it('is on time on or before the first estimate, late the day after', () => {
    expect(isOnTime('2026-11-24', '2026-11-25')).toBe(true);
    expect(isOnTime('2026-11-25', '2026-11-25')).toBe(true);
    expect(isOnTime('2026-11-26', '2026-11-25')).toBe(false);
  });
});
