// The daily delivery rollup kept in the transaction of each change, against hand-computed answers;
// rebuilt from scratch it equals the incremental one; the first estimate is fixed once set.
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { readAnalyticsQuery } from '../../../src/server/analytics/analytics-query.ts';
import { getAnalytics } from '../../../src/server/analytics/get-analytics.ts';
import { decodeContribution } from '../../../src/server/analytics/parcel-contribution.ts';
import { rebuildDeliveryRollup } from '../../../src/server/analytics/rebuild-delivery-rollup.ts';
import { applyCarrierNews } from '../../../src/server/changes/carrier-news.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { manualClock } from '../../../src/server/clock.ts';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { EXPECTED, PARCELS, PERIOD, snapshotsOf, type SeedParcel } from '../../fixtures/analytics-deliveries.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

let store: Store;
const clock = manualClock('2026-11-20T08:00:00Z');

async function place(p: SeedParcel, code: string): Promise<string> {
  const { orderId } = await upsertOrder({
    storeId: store.id,
    clock,
    body: orderBody({
      number: p.number,
      timeZone: p.timeZone,
      shippingAddress: { name: 'Ann Lee', street1: '1 Main St', city: 'Town', state: 'NY', postalCode: '12207', country: p.country },
      shipments: [
        {
          carrier: p.carrier,
          service: p.service,
          trackingCode: code,
          items: [{ sku: 'MUG', quantity: 1 }],
          promisedDeliveryDate: p.promised,
        },
      ],
    }),
  });
  return (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.orderId, orderId))))!.id;
}

async function seed(): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [i, p] of PARCELS.entries()) {
    const code = `TRK${i}${p.number}`;
    const id = await place(p, code);
    ids.set(p.number, id);
    for (const s of snapshotsOf(p, `trk_${code}`))
      await applyCarrierNews({ storeId: store.id, shipmentId: id, snapshot: s, now: s.updatedAt });
  }
  return ids;
}

const rollup = async () =>
  (await db().select().from(schema.deliveryDaily).where(eq(schema.deliveryDaily.storeId, store.id))).sort((a, b) =>
    JSON.stringify([a.day, a.carrier, a.service, a.country, a.transitDays]).localeCompare(
      JSON.stringify([b.day, b.carrier, b.service, b.country, b.transitDays]),
    ),
  );
const productRollup = async () =>
  (await db().select().from(schema.productDeliveryDaily).where(eq(schema.productDeliveryDaily.storeId, store.id))).sort((a, b) =>
    `${a.day} ${a.productId}`.localeCompare(`${b.day} ${b.productId}`),
  );
const report = (qs = `from=${PERIOD.from}&to=${PERIOD.to}`) =>
  getAnalytics({ store, query: readAnalyticsQuery(new URLSearchParams(qs), { now: clock.now(), timeZone: 'UTC' }) });

describe('delivery rollup', () => {
  beforeEach(async () => {
    await freshDatabase();
    store = (await makeStore({}, clock)).store;
  });

  it('gives the hand-computed figures, overall, by carrier, by destination, with the previous period', async () => {
    await seed();
    const r = await report();
    expect(r.delivery.overall).toMatchObject(EXPECTED.overall);
    expect(r.delivery.carriers).toMatchObject(EXPECTED.carriers);
    expect(r.delivery.countries).toMatchObject(EXPECTED.countries);
    expect(r.delivery.transitHistogram).toEqual(EXPECTED.transitHistogram);
    expect(r.delivery.overall.exceptionPercent).toBe(20); // C had a failed-delivery exception before arriving
    expect(r.delivery.daily).toEqual([
      { day: '2026-11-24', parcels: 2, onTimePercent: 100 }, // A (New York), F (Los Angeles)
      { day: '2026-11-25', parcels: 2, onTimePercent: 50 }, // B late, D on time
      { day: '2026-11-26', parcels: 1, onTimePercent: 0 }, // C late against its first estimate
    ]);
    expect(r.delivery.formula.onTimePercent).toMatch(/first estimate/);
    expect(r.exceptions.notices).toEqual([{ kind: 'exception', reason: 'failure/attempted_delivery', carrier: 'UPS', parcels: 1 }]);
  });

  it('filters by carrier, service and destination', async () => {
    await seed();
    const usps = await report(`from=${PERIOD.from}&to=${PERIOD.to}&carrier=USPS`);
    expect(usps.delivery.overall).toMatchObject({ parcels: 3, onTimePercent: 66.7 });
    const priority = await report(`from=${PERIOD.from}&to=${PERIOD.to}&carrier=USPS&service=Priority`);
    expect(priority.delivery.overall).toMatchObject({ parcels: 2, onTimePercent: 100, transitDays: { p50: 2, p90: 3 } });
    const canada = await report(`from=${PERIOD.from}&to=${PERIOD.to}&country=ca`);
    expect(canada.delivery.overall).toMatchObject({ parcels: 1, onTimePercent: 0, firstAttemptPercent: 0 });
    // The destination applies to delays and exceptions too: C (UPS, to Canada) had the only exception.
    expect(canada.exceptions.notices).toEqual([{ kind: 'exception', reason: 'failure/attempted_delivery', carrier: 'UPS', parcels: 1 }]);
    const us = await report(`from=${PERIOD.from}&to=${PERIOD.to}&country=US`);
    expect(us.exceptions.notices).toEqual([]);
    expect((await report(`from=${PERIOD.from}&to=${PERIOD.to}&country=US&carrier=UPS`)).delivery.overall.parcels).toBe(1);
  });

  it('counts registered parcels: delivered in the period, an item of theirs registered, through the filters', async () => {
    const ids = await seed();
    const at = Date.parse('2026-11-26T12:00:00Z');
    const register = async (parcel: string, sku: string) => {
      const sh = (await firstRow(
        db()
          .select()
          .from(schema.shipments)
          .where(eq(schema.shipments.id, ids.get(parcel)!)),
      ))!;
      const deliveredOn = decodeContribution(sh.countedAs)?.day ?? '2026-11-26';
      await transaction((tx) =>
        tx.insert(schema.registrations).values({
          id: `reg_${parcel}_${sku}`,
          storeId: store.id,
          orderId: sh.orderId,
          sku,
          productId: sku,
          title: sku,
          deliveredOn,
          warrantyMonths: 12,
          warrantyEndsOn: '2027-11-26',
          registeredAt: at,
          updatedAt: at,
        }),
      );
    };
    // A (USPS, US) and C (UPS, Canada) delivered in the period; A also registers an item no parcel
    // carried; E was never delivered; G was delivered in the previous period.
    for (const [parcel, sku] of [
      ['A1', 'MUG'],
      ['A1', 'OTHER'],
      ['C1', 'MUG'],
      ['E1', 'MUG'],
      ['G1', 'MUG'],
    ] as const)
      await register(parcel, sku);
    const w = (await report()).warranty;
    // 2 of the period's 5 parcels (A, C); the previous period's 1 parcel (G) had its item registered.
    expect(w).toMatchObject({ registrations: 5, registeredParcels: 2, registeredParcelPercent: 40 });
    expect(w.previous).toMatchObject({ registeredParcels: 1, registeredParcelPercent: 100 });
    expect(w.formulaRegisteredParcelPercent).toMatch(/÷ parcels delivered in \[from, to\]/);
    // USPS: A's mug, E's mug and G's mug went by USPS (A's other item by no parcel); of A B F, A.
    const usps = (await report(`from=${PERIOD.from}&to=${PERIOD.to}&carrier=USPS`)).warranty;
    expect(usps).toMatchObject({ registrations: 3, registeredParcels: 1, registeredParcelPercent: 33.3 });
    const canada = (await report(`from=${PERIOD.from}&to=${PERIOD.to}&country=CA`)).warranty;
    expect(canada).toMatchObject({ registrations: 1, registeredParcels: 1, registeredParcelPercent: 100 });
    const express = (await report(`from=${PERIOD.from}&to=${PERIOD.to}&service=Express`)).warranty;
    expect(express).toMatchObject({ registrations: 0, registeredParcels: 0, registeredParcelPercent: null });
  });

  it('fixes the first estimate once: the carrier’s first date stays when it revises it', async () => {
    const ids = await seed();
    const c = (await firstRow(
      db()
        .select()
        .from(schema.shipments)
        .where(eq(schema.shipments.id, ids.get('C1')!)),
    ))!;
    expect(c).toMatchObject({
      firstEstimateDate: '2026-11-24',
      firstEstimateSource: 'carrier',
      carrierEstimateAt: Date.parse('2026-11-26T00:00:00Z'),
    });
    const a = (await firstRow(
      db()
        .select()
        .from(schema.shipments)
        .where(eq(schema.shipments.id, ids.get('A1')!)),
    ))!;
    expect(a).toMatchObject({ firstEstimateDate: '2026-11-25', firstEstimateSource: 'store' });
  });

  it('rebuilt from scratch equals the incremental rollup, and a parcel that stops being delivered leaves it', async () => {
    const ids = await seed();
    const incremental = await rollup();
    expect(incremental.reduce((n, r) => n + r.parcels, 0)).toBe(6); // five in the period, G before it
    const products = await productRollup();
    // Each parcel brought one MUG: six units over the delivery days, one row per day and product.
    expect(products.reduce((n, r) => n + r.units, 0)).toBe(6);
    expect(products.every((r) => r.units === r.parcels)).toBe(true);
    const shipmentsBefore = await db()
      .select({ id: schema.shipments.id, countedAs: schema.shipments.countedAs })
      .from(schema.shipments)
      .orderBy(schema.shipments.id);
    // Emptied and rebuilt: the same rows, and every parcel's counted_as the same.
    expect(await rebuildDeliveryRollup({ storeId: store.id })).toEqual({ parcels: 6, rows: incremental.length });
    expect(await rollup()).toEqual(incremental);
    expect(await productRollup()).toEqual(products);
    expect(
      await db()
        .select({ id: schema.shipments.id, countedAs: schema.shipments.countedAs })
        .from(schema.shipments)
        .orderBy(schema.shipments.id),
    ).toEqual(shipmentsBefore);

    // A newer snapshot says D is on its way back to the sender: it leaves the rollup, exactly as a rebuild says.
    await applyCarrierNews({
      storeId: store.id,
      shipmentId: ids.get('D1')!,
      now: Date.parse('2026-11-27T10:00:00Z'),
      snapshot: { ...snapshotsOf(PARCELS[3]!, 'trk_d').at(-1)!, status: 'return_to_sender', updatedAt: Date.parse('2026-11-27T10:00:00Z') },
    });
    const after = await rollup();
    expect(after.reduce((n, r) => n + r.parcels, 0)).toBe(5);
    expect(after.some((r) => r.parcels === 0)).toBe(false);
    const productsAfter = await productRollup();
    expect(productsAfter.reduce((n, r) => n + r.units, 0)).toBe(5);
    expect(productsAfter.some((r) => r.units === 0)).toBe(false);
    await rebuildDeliveryRollup();
    expect(await rollup()).toEqual(after);
    expect(await productRollup()).toEqual(productsAfter);
    expect((await report()).delivery.overall).toMatchObject({ parcels: 4, onTimePercent: 50 });
  });

  it('keeps stores apart', async () => {
    await seed();
    const own = store;
    store = (await makeStore({}, clock)).store;
    expect((await report()).delivery.overall.parcels).toBe(0);
    await rebuildDeliveryRollup({ storeId: store.id });
    store = own;
    expect((await report()).delivery.overall.parcels).toBe(5);
    expect(
      await db()
        .select()
        .from(schema.deliveryDaily)
        .where(and(eq(schema.deliveryDaily.storeId, own.id), eq(schema.deliveryDaily.carrier, 'UPS'))),
    ).toHaveLength(2);
  });
});
