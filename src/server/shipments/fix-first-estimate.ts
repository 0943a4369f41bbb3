// The first estimate the shopper was shown, fixed once set: the order's promised date when given,
// else the carrier's first estimate, else the store's rule at the first scan. Later promises,
// carrier revisions or rule changes never move it, so "on time" is judged against what the shopper
// was first told (analytics). It is fixed as soon as one of those exists (a parcel delivered
// without any scan is fixed at delivery, by the rule from its creation day).
import { eq, sql } from 'drizzle-orm';
import { prepared, schema, type Tx } from '../db.ts';
import { firstEstimateDay, type DelayRules } from '../tracking/deadlines.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';

type ShipmentRow = typeof schema.shipments.$inferSelect;

/** The first estimate to fix now, or null when it is fixed already or nothing is known yet. */
export function firstEstimateToFix(
  s: ShipmentRow,
  ctx: { placedAt: number; timeZone: string; settings: DelayRules },
): { date: string; source: 'store' | 'carrier' | 'rule' } | null {
  if (s.firstEstimateDate !== null) return null;
  const source = s.promisedDate
    ? 'store'
    : s.carrierEstimateAt !== null
      ? 'carrier'
      : s.firstScanAt !== null || s.status === 'delivered'
        ? 'rule'
        : null;
  if (source === null) return null;
  const date = firstEstimateDay({
    status: s.status as ShipmentStatus,
    createdAt: s.createdAt,
    firstScanAt: s.firstScanAt,
    lastEventAt: s.lastEventAt,
    promisedDate: s.promisedDate,
    carrierEstimateAt: s.carrierEstimateAt,
    placedAt: ctx.placedAt,
    timeZone: ctx.timeZone,
    settings: ctx.settings,
  });
  return { date, source };
}

/** Fixes the parcel's first estimate when it has none yet (inside the writer's transaction); updates `s` in place. */
export async function fixFirstEstimate(
  tx: Tx,
  s: ShipmentRow,
  ctx: { placedAt: number; timeZone: string; settings: DelayRules },
): Promise<void> {
  const fix = firstEstimateToFix(s, ctx);
  if (!fix) return;
  await setFirstEstimate(tx).execute({ id: s.id, date: fix.date, source: fix.source });
  s.firstEstimateDate = fix.date;
  s.firstEstimateSource = fix.source;
}

const param = (name: string) => sql`${sql.placeholder(name)}`;
const setFirstEstimate = (tx: Tx) =>
  prepared(tx, 'shipments.setFirstEstimate', (d) =>
    d
      .update(schema.shipments)
      .set({ firstEstimateDate: param('date'), firstEstimateSource: param('source') })
      .where(eq(schema.shipments.id, sql.placeholder('id')))
      .prepare(),
  );
