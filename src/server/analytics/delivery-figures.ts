// Delivery performance from the daily rollup: overall, by carrier, by service, by destination,
// the transit-day histogram and the daily series, for the period and the previous one. Summing
// grouped rollup rows, never scanning parcels, keeps a year of a busy store well under 300 ms.
import { and, between, eq, sql, type SQL } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import type { AnalyticsQuery } from './analytics-query.ts';
import { percent, percentileNearestRank } from './formulas.ts';

/** The delivery figures of one group of parcels. */
export interface DeliveryFigures {
  parcels: number;
  onTimePercent: number | null;
  firstAttemptPercent: number | null;
  transitDays: { p50: number | null; p90: number | null; withoutFirstScan: number };
  toldLatePercent: number | null;
  exceptionPercent: number | null;
}

/** Counts summed over rollup rows, with their transit histogram. */
class Tally {
  parcels = 0;
  onTime = 0;
  firstAttempt = 0;
  toldLate = 0;
  hadException = 0;
  withoutFirstScan = 0;
  readonly histogram = new Map<number, number>();

  add(r: Row): void {
    this.parcels += r.parcels;
    this.onTime += r.onTime;
    this.firstAttempt += r.firstAttempt;
    this.toldLate += r.toldLate;
    this.hadException += r.hadException;
    if (r.transitDays < 0) this.withoutFirstScan += r.parcels;
    else this.histogram.set(r.transitDays, (this.histogram.get(r.transitDays) ?? 0) + r.parcels);
  }

  figures(): DeliveryFigures {
    return {
      parcels: this.parcels,
      onTimePercent: percent(this.onTime, this.parcels),
      firstAttemptPercent: percent(this.firstAttempt, this.parcels),
      transitDays: {
        p50: percentileNearestRank(this.histogram, 50),
        p90: percentileNearestRank(this.histogram, 90),
        withoutFirstScan: this.withoutFirstScan,
      },
      toldLatePercent: percent(this.toldLate, this.parcels),
      exceptionPercent: percent(this.hadException, this.parcels),
    };
  }
}

interface Row {
  current: boolean;
  carrier: string;
  service: string;
  country: string;
  transitDays: number;
  parcels: number;
  onTime: number;
  firstAttempt: number;
  toldLate: number;
  hadException: number;
}

type WithPrevious<T> = T & DeliveryFigures & { previous: DeliveryFigures };

/** Everything the delivery part of the report holds. */
export interface DeliveryReport {
  overall: DeliveryFigures & { previous: DeliveryFigures };
  carriers: WithPrevious<{ carrier: string }>[];
  services: WithPrevious<{ carrier: string; service: string }>[];
  countries: WithPrevious<{ country: string }>[];
  transitHistogram: { days: number; parcels: number }[];
  daily: { day: string; parcels: number; onTimePercent: number | null }[];
}

/** Reads the delivery figures of the period (and the previous one) from delivery_daily. */
export async function readDeliveryFigures(storeId: string, q: AnalyticsQuery): Promise<DeliveryReport> {
  const dd = schema.deliveryDaily;
  const filters: (SQL | undefined)[] = [
    eq(dd.storeId, storeId),
    q.carrier ? eq(dd.carrier, q.carrier) : undefined,
    q.service ? eq(dd.service, q.service) : undefined,
    q.country ? eq(dd.country, q.country) : undefined,
  ];
  const current = sql<number>`case when ${dd.day} >= ${q.from} then 1 else 0 end`;
  const grouped = await db()
    .select({
      current,
      carrier: dd.carrier,
      service: dd.service,
      country: dd.country,
      transitDays: dd.transitDays,
      parcels: sql<number>`sum(${dd.parcels})`,
      onTime: sql<number>`sum(${dd.onTime})`,
      firstAttempt: sql<number>`sum(${dd.firstAttempt})`,
      toldLate: sql<number>`sum(${dd.toldLate})`,
      hadException: sql<number>`sum(${dd.hadException})`,
    })
    .from(dd)
    .where(and(...filters, between(dd.day, q.previous.from, q.to)))
    // By position: PostgreSQL does not see `case when day >= $1` and `… >= $5` as one expression.
    .groupBy(sql`1`, dd.carrier, dd.service, dd.country, dd.transitDays);
  const daily = await db()
    .select({ day: dd.day, parcels: sql<number>`sum(${dd.parcels})`, onTime: sql<number>`sum(${dd.onTime})` })
    .from(dd)
    .where(and(...filters, between(dd.day, q.from, q.to)))
    .groupBy(dd.day)
    .orderBy(dd.day);

  const rows: Row[] = grouped.map((r) => ({
    current: Number(r.current) === 1,
    carrier: r.carrier,
    service: r.service,
    country: r.country,
    transitDays: Number(r.transitDays),
    parcels: Number(r.parcels),
    onTime: Number(r.onTime),
    firstAttempt: Number(r.firstAttempt),
    toldLate: Number(r.toldLate),
    hadException: Number(r.hadException),
  }));
  const overall = tallyBy(rows, () => '', true);
  const overallFigures = figuresOf(overall.get('') ?? { now: new Tally(), before: new Tally() });
  const histogram = overall.get('')?.now.histogram ?? new Map<number, number>();
  return {
    overall: overallFigures,
    carriers: [...tallyBy(rows, (r) => r.carrier)].map(([carrier, t]) => ({ carrier, ...figuresOf(t) })).sort(byParcels),
    services: [...tallyBy(rows, (r) => JSON.stringify([r.carrier, r.service]))]
      .map(([key, t]) => {
        const [carrier, service] = JSON.parse(key) as [string, string];
        return { carrier, service, ...figuresOf(t) };
      })
      .sort(byParcels),
    countries: [...tallyBy(rows, (r) => r.country)].map(([country, t]) => ({ country, ...figuresOf(t) })).sort(byParcels),
    transitHistogram: [...histogram].sort((a, b) => a[0] - b[0]).map(([days, parcels]) => ({ days, parcels })),
    daily: daily.map((d) => ({ day: d.day, parcels: Number(d.parcels), onTimePercent: percent(Number(d.onTime), Number(d.parcels)) })),
  };
}

/** Groups rows by a key into this period's and the previous period's tallies; groups with no parcel this period are left out, unless `keepAll`. */
function tallyBy(rows: Row[], key: (r: Row) => string, keepAll = false): Map<string, { now: Tally; before: Tally }> {
  const out = new Map<string, { now: Tally; before: Tally }>();
  for (const r of rows) {
    const k = key(r);
    let t = out.get(k);
    if (!t) out.set(k, (t = { now: new Tally(), before: new Tally() }));
    (r.current ? t.now : t.before).add(r);
  }
  if (!keepAll) for (const [k, t] of out) if (t.now.parcels === 0) out.delete(k);
  return out;
}

function figuresOf(t: { now: Tally; before: Tally }): DeliveryFigures & { previous: DeliveryFigures } {
  return { ...t.now.figures(), previous: t.before.figures() };
}

const byParcels = (a: { parcels: number }, b: { parcels: number }) => b.parcels - a.parcels;

/** The carriers, services and destinations the store's rollup knows, for the filters' choices. */
export async function listDeliveryDimensions(storeId: string): Promise<{ carriers: string[]; services: string[]; countries: string[] }> {
  const dd = schema.deliveryDaily;
  const rows = await db()
    .selectDistinct({ carrier: dd.carrier, service: dd.service, country: dd.country })
    .from(dd)
    .where(eq(dd.storeId, storeId));
  const sorted = (values: string[]) => [...new Set(values.filter((v) => v !== ''))].sort();
  return {
    carriers: sorted(rows.map((r) => r.carrier)),
    services: sorted(rows.map((r) => r.service)),
    countries: sorted(rows.map((r) => r.country)),
  };
}
