// The analytics period and filters, validated at the edge: `from` and `to` are inclusive calendar
// days ('YYYY-MM-DD'), at most 366 days apart; the previous period is the one of equal length
// ending the day before `from`. Without dates: the 30 days ending today (the store's zone).
import { z } from 'zod';
import { addDays, dayInZone, daysBetween } from '../../lib/dates.ts';
import { parseOrThrow } from '../validate.ts';

const MAX_RANGE_DAYS = 366;

/** A validated analytics request. */
export interface AnalyticsQuery {
  from: string;
  to: string;
  previous: { from: string; to: string };
  carrier: string | null;
  service: string | null;
  country: string | null;
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'a real calendar date',
  );
const filter = z.string().trim().min(1).max(64).optional();

const shape = z
  .object({
    from: day.optional(),
    to: day.optional(),
    carrier: filter,
    service: filter,
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as US')
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'on or after from' });
    else if (q.from && q.to && daysBetween(q.from, q.to) + 1 > MAX_RANGE_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_RANGE_DAYS} days after from, both included` });
  });

/** Reads ?from=&to=&carrier=&service=&country= or throws a 422 AppError naming each bad parameter. */
export function readAnalyticsQuery(params: URLSearchParams, opts: { now: number; timeZone: string }): AnalyticsQuery {
  const raw: Record<string, string> = {};
  for (const key of ['from', 'to', 'carrier', 'service', 'country']) {
    const v = params.get(key);
    if (v !== null && v.trim() !== '') raw[key] = v;
  }
  const q = parseOrThrow(shape, raw, 'The analytics period or filters are not valid.');
  const today = dayInZone(opts.now, opts.timeZone);
  const to = q.to ?? (q.from ? addDays(q.from, 29) : today);
  const from = q.from ?? addDays(to, -29);
  if (from > to || daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
    // Only one of the two was given and the default for the other fell outside the rules.
    parseOrThrow(shape, { from, to }, 'The analytics period or filters are not valid.');
  const length = daysBetween(from, to) + 1;
  return {
    from,
    to,
    previous: { from: addDays(from, -length), to: addDays(from, -1) },
    carrier: q.carrier ?? null,
    service: q.service ?? null,
    country: q.country ? q.country.toUpperCase() : null,
  };
}
