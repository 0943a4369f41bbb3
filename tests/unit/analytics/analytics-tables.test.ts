// The report's tables and their CSV: every table named, RFC 4180 quoting, no spreadsheet formulas.
import { describe, expect, it } from 'vitest';
import { analyticsTables, exportAnalyticsTable, tableToCsv } from '../../../src/server/analytics/analytics-tables.ts';
import type { AnalyticsReport } from '../../../src/server/analytics/get-analytics.ts';
import { AppError } from '../../../src/server/errors.ts';

const figures = {
  parcels: 2,
  onTimePercent: 50,
  firstAttemptPercent: 100,
  transitDays: { p50: 3, p90: 4, withoutFirstScan: 0 },
  toldLatePercent: 0,
  exceptionPercent: 0,
};
const empty = {
  ...figures,
  parcels: 0,
  onTimePercent: null,
  firstAttemptPercent: null,
  transitDays: { p50: null, p90: null, withoutFirstScan: 0 },
  toldLatePercent: null,
  exceptionPercent: null,
};
const deflection = { visits: 0, visitedOrders: 0, contactedOrders: 0, deflectionPercent: null };
const checkIns = { asked: 4, allGood: 2, problem: 1, unanswered: 1, problemPercent: 33.3 };
const messageCounts = { sent: 4, failed: 1, suppressed: 1, clicks: 3, clickedMessages: 2, clickPercent: 50 };
const report = {
  from: '2026-11-24',
  to: '2026-11-26',
  previous: { from: '2026-11-21', to: '2026-11-23' },
  filters: { carrier: null, service: null, country: null },
  delivery: {
    overall: { ...figures, previous: empty },
    carriers: [{ carrier: 'USPS', ...figures, previous: empty }],
    services: [{ carrier: 'USPS', service: '', ...figures, previous: empty }],
    countries: [{ country: 'US', ...figures, previous: empty }],
    transitHistogram: [{ days: 3, parcels: 2 }],
    daily: [{ day: '2026-11-24', parcels: 2, onTimePercent: 50 }],
    formula: {
      parcels: 'p',
      onTimePercent: 'o',
      transitDays: 't',
      firstAttemptPercent: 'f',
      toldLatePercent: 'l',
      exceptionPercent: 'e',
      previous: 'v',
    },
  },
  exceptions: { notices: [], cases: [], formula: { notices: 'n', cases: 'c' } },
  returns: {
    byReason: [],
    byProduct: [
      { productId: 'p1', title: '=HYPERLINK("x"), "quoted"', units: 1, topReason: 'too_small', deliveredUnits: 8, returnRatePercent: 12.5 },
    ],
    formula: 'r',
    formulaReturnRate: 'rr',
  },
  ratings: { byProduct: [], formula: 'g' },
  deflection: { ...deflection, previous: deflection, formula: 'd' },
  messages: {
    channels: [
      {
        channel: 'email',
        kind: 'shipped',
        ...messageCounts,
        previous: { ...messageCounts, sent: 2, clicks: 0, clickedMessages: 0, clickPercent: 0 },
      },
    ],
    totals: { ...messageCounts, unsubscribed: 1 },
    previous: { ...messageCounts, sent: 2, clicks: 0, clickedMessages: 0, clickPercent: 0, unsubscribed: 0 },
    formula: { messages: 'ms', clicks: 'cl', unsubscribed: 'un' },
  },
  checkIns: { ...checkIns, previous: checkIns, formula: { checkIns: 'k', problemPercent: 'q' } },
  warranty: {
    registrations: 2,
    withReminders: 1,
    registeredParcels: 1,
    registeredParcelPercent: 25,
    previous: { registrations: 0, withReminders: 0, registeredParcels: 0, registeredParcelPercent: null },
    formula: 'w',
    formulaRegisteredParcelPercent: 'wp',
  },
  afterDeliveryMessages: { followUp: 3, replenishment: 1, previous: { followUp: 0, replenishment: 0 }, formula: 'm' },
} satisfies AnalyticsReport;

describe('analytics tables', () => {
  it('names every table and gives the previous period beside the current one', () => {
    const tables = analyticsTables(report);
    expect(tables.map((t) => t.id)).toEqual([
      'delivery-overall',
      'delivery-carriers',
      'delivery-services',
      'delivery-countries',
      'delivery-daily',
      'transit-days',
      'notices',
      'cases',
      'deflection',
      'check-ins',
      'after-delivery',
      'messages',
      'messages-overall',
      'return-reasons',
      'return-products',
      'ratings',
    ]);
    expect(tables[0]!.rows).toEqual([
      ['2026-11-24 to 2026-11-26', 2, 50, 3, 4, 100, 0, 0, 0],
      ['2026-11-21 to 2026-11-23', 0, null, null, null, null, null, null, 0],
    ]);
    for (const t of tables) expect(t.formula).not.toBe('');
  });

  it('writes CSV with CRLF, quotes where needed, and defuses formulas', () => {
    const { filename, csv } = exportAnalyticsTable(report, 'return-products');
    expect(filename).toBe('waypost-return-products-2026-11-24-2026-11-26.csv');
    expect(csv).toBe(
      'Product,Product id,Units returned,Units delivered,Return rate %,Most common reason\r\n"\'=HYPERLINK(""x""), ""quoted""",p1,1,8,12.5,too_small\r\n',
    );
    expect(exportAnalyticsTable(report, 'messages').csv).toBe(
      'Channel,Kind,Sent,Failed,Suppressed,Clicks,Clicked messages,Clicked %,Previous sent,Previous clicks\r\nemail,shipped,4,1,1,3,2,50,2,0\r\n',
    );
    expect(exportAnalyticsTable(report, 'messages-overall').csv.split('\r\n')[1]).toBe('2026-11-24 to 2026-11-26,4,1,1,3,2,50,1');
    expect(tableToCsv({ id: 'x', title: 'x', formula: 'x', columns: ['a', 'b'], rows: [[null, -1]] })).toBe('a,b\r\n,-1\r\n');
  });

  it('refuses an unknown table with a 422 naming the ones there are', () => {
    expect(() => exportAnalyticsTable(report, 'secrets')).toThrow(AppError);
    try {
      exportAnalyticsTable(report, null);
    } catch (e) {
      expect((e as AppError).errors[0]).toMatchObject({ pointer: '/table', detail: expect.stringContaining('delivery-carriers') });
    }
  });
});
