// Shared set-up for the notice, case and sync tests: a fresh database, a store on a manual clock,
// orders made through the real API path, and quick looks at the rows they leave.
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { manualClock } from '../../../src/server/clock.ts';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { applyCarrierNews } from '../../../src/server/changes/carrier-news.ts';
import type { ShipmentStatus } from '../../../src/server/tracking/statuses.ts';
import type { TrackerSnapshot, TrackingDetail } from '../../../src/server/tracking/tracker-snapshot.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

export const H = 3_600_000;
export const DAY = 24 * H;
export const NY = 'America/New_York';

export type ManualClock = ReturnType<typeof manualClock>;

/** A fresh database and one store whose clock starts at `start`. */
export async function world(start: string, settings?: Record<string, unknown>): Promise<{ clock: ManualClock; store: Store }> {
  await freshDatabase();
  const clock = manualClock(start);
  const { store } = await makeStore({ settings }, clock);
  return { clock, store };
}

let n = 0;

/**
 * An order made through upsertOrder at the clock's time. Default: placed 2026-11-20T14:03Z in
 * New York, TENT-2P ×1 and MUG ×2, one USPS parcel with the tent promised for 2026-11-25.
 */
export async function newOrder(store: Store, clock: ManualClock, over: Record<string, unknown> = {}) {
  n++;
  const body = orderBody({ number: `N${n}`, timeZone: NY, ...over });
  const { orderId } = await upsertOrder({ storeId: store.id, clock, body });
  const shipments = await db()
    .select()
    .from(schema.shipments)
    .where(eq(schema.shipments.orderId, orderId))
    .orderBy(asc(schema.shipments.createdAt), asc(schema.shipments.trackingCode));
  return { orderId, body, shipmentIds: shipments.map((s) => s.id), shipmentId: shipments[0]?.id ?? '' };
}

export const shipmentRow = async (id: string) => (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.id, id))))!;
export const orderRow = async (id: string) => (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.id, id))))!;

/** Every notice of a parcel or order scope, oldest first. */
export const noticesOf = async (scope: string) =>
  await db().select().from(schema.notices).where(eq(schema.notices.scope, scope)).orderBy(asc(schema.notices.openedAt));

/** Open notices of a scope as "kind" strings, sorted. */
export const openKinds = async (scope: string) =>
  (
    await db()
      .select({ kind: schema.notices.kind })
      .from(schema.notices)
      .where(and(eq(schema.notices.scope, scope), isNull(schema.notices.clearedAt)))
  )
    .map((r) => r.kind)
    .sort();

export const casesOf = async (orderId: string) =>
  await db()
    .select()
    .from(schema.cases)
    .where(eq(schema.cases.orderId, orderId))
    .orderBy(asc(schema.cases.createdAt), asc(schema.cases.kind));

/** Row counts of the tables these features write. */
export async function counts() {
  const c = async (t: SQLiteTable) => (await firstRow(db().select({ n: count() }).from(t)))?.n ?? 0;
  return {
    orders: await c(schema.orders),
    shipments: await c(schema.shipments),
    trackingEvents: await c(schema.trackingEvents),
    notices: await c(schema.notices),
    cases: await c(schema.cases),
    pageChanges: await c(schema.pageChanges),
  };
}

/** One carrier event at an instant. */
export const event = (
  at: string | number,
  status: ShipmentStatus,
  message: string,
  over: Partial<TrackingDetail> = {},
): TrackingDetail => ({
  occurredAt: typeof at === 'number' ? at : Date.parse(at),
  status,
  statusDetail: null,
  message,
  city: 'Portland',
  state: 'OR',
  country: 'US',
  postalCode: null,
  ...over,
});

/** A tracker snapshot; updatedAt defaults to the newest event (or 0). */
export function snap(status: ShipmentStatus, details: TrackingDetail[], over: Partial<TrackerSnapshot> = {}): TrackerSnapshot {
  return {
    trackerId: 'trk_test',
    status,
    statusDetail: null,
    updatedAt: Math.max(0, ...details.map((d) => d.occurredAt)),
    estDeliveryAt: null,
    signedBy: null,
    publicUrl: null,
    details,
    ...over,
  };
}

/** Applies a snapshot at the clock's time. */
export const apply = (store: Store, clock: ManualClock, shipmentId: string, s: TrackerSnapshot) =>
  applyCarrierNews({ storeId: store.id, shipmentId, snapshot: s, now: clock.now() });
