// The period and filters: real dates, from ≤ to, at most 366 days, the previous period of equal length.
import { describe, expect, it } from 'vitest';
import { readAnalyticsQuery } from '../../../src/server/analytics/analytics-query.ts';
import { AppError } from '../../../src/server/errors.ts';

const NOW = Date.parse('2026-12-02T03:00:00Z');
const read = (qs: string, timeZone = 'UTC') => readAnalyticsQuery(new URLSearchParams(qs), { now: NOW, timeZone });
const errorOf = (qs: string) => {
  try {
    read(qs);
  } catch (e) {
    if (e instanceof AppError) return { status: e.status, errors: e.errors };
    throw e;
  }
  throw new Error(`no error for ${qs}`);
};

describe('readAnalyticsQuery', () => {
  it('takes inclusive days and puts the previous period of equal length before them', () => {
    expect(read('from=2026-11-01&to=2026-11-30&carrier=USPS&country=us')).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      previous: { from: '2026-10-02', to: '2026-10-31' },
      carrier: 'USPS',
      service: null,
      country: 'US',
    });
    expect(read('from=2026-03-01&to=2026-03-01').previous).toEqual({ from: '2026-02-28', to: '2026-02-28' });
  });

  it('defaults to the 30 days ending today in the store’s zone', () => {
    // 03:00 UTC on 2 December is still 1 December (19:00) in Los Angeles.
    expect(read('')).toMatchObject({ from: '2026-11-03', to: '2026-12-02' });
    expect(read('', 'America/Los_Angeles')).toMatchObject({ from: '2026-11-02', to: '2026-12-01' });
    expect(read('from=2026-01-01')).toMatchObject({ from: '2026-01-01', to: '2026-01-30' });
  });

  it('accepts 366 days and refuses 367, a reversed range and dates that are not real', () => {
    expect(read('from=2025-01-01&to=2026-01-01').to).toBe('2026-01-01'); // 366 days, both included
    expect(errorOf('from=2025-01-01&to=2026-01-02')).toEqual({
      status: 422,
      errors: [{ pointer: '/to', detail: expect.stringContaining('366') }],
    });
    expect(errorOf('from=2026-11-30&to=2026-11-01').errors).toEqual([{ pointer: '/to', detail: 'on or after from' }]);
    expect(errorOf('from=2026-02-30&to=2026-03-01').errors[0]).toMatchObject({ pointer: '/from' });
    expect(errorOf('from=yesterday').errors[0]).toMatchObject({ pointer: '/from' });
    expect(errorOf('from=2026-11-01&to=2026-11-31').errors[0]).toMatchObject({ pointer: '/to' });
    expect(errorOf('country=USA').errors[0]).toMatchObject({ pointer: '/country' });
    expect(errorOf(`carrier=${'x'.repeat(65)}`).errors[0]).toMatchObject({ pointer: '/carrier' });
  });
});
