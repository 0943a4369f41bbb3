// Reads what the policy engine needs about one order and decides. Synchronous on a reader, so the
// same decision runs for the page (db()) and again inside the confirming transaction (tx), where
// it cannot race another confirmation.
import { and, asc, count, eq, gte, inArray, isNull, notInArray } from 'drizzle-orm';
import { firstRow, schema, type Tx } from '../db.ts';
import type { ReturnsPolicy } from '../policies/returns-policy.ts';
import { readSettings, type StoreSettings } from '../stores/settings.ts';
import { capReached, decideEligibility, type Eligibility, type EligibilityItem } from './eligibility.ts';
import { returnedQuantitiesWith } from './returned-skus.ts';
import { VOID_STATUSES } from './return-machine.ts';

type Reader = Pick<Tx, 'select'>;
const CAP_PERIOD_MS = 90 * 86_400_000;

export interface OrderDecision {
  policy: ReturnsPolicy;
  policyVersion: number;
  settings: StoreSettings;
  eligibility: Eligibility;
  capReached: boolean;
  items: EligibilityItem[];
  order: typeof schema.orders.$inferSelect;
}

/** The policy in force applied to the store's order, or null when there is no such order. */
export async function decideForOrder(r: Reader, opts: { storeId: string; orderId: string; now: number }): Promise<OrderDecision | null> {
  const store = await firstRow(r.select().from(schema.stores).where(eq(schema.stores.id, opts.storeId)));
  const order = await firstRow(
    r
      .select()
      .from(schema.orders)
      .where(and(eq(schema.orders.id, opts.orderId), eq(schema.orders.storeId, opts.storeId))),
  );
  if (!store || !order) return null;
  const settings = readSettings(store.settings);
  const items = await r
    .select()
    .from(schema.orderItems)
    .where(eq(schema.orderItems.orderId, order.id))
    .orderBy(asc(schema.orderItems.position));
  const parcels = await r
    .select()
    .from(schema.shipments)
    .where(and(eq(schema.shipments.storeId, opts.storeId), eq(schema.shipments.orderId, order.id), isNull(schema.shipments.returnId)));
  const contents = parcels.length
    ? await r
        .select()
        .from(schema.shipmentItems)
        .where(
          inArray(
            schema.shipmentItems.shipmentId,
            parcels.map((p) => p.id),
          ),
        )
    : [];
  const recentReturns = await firstRow(
    r
      .select({ n: count() })
      .from(schema.returns)
      .where(
        and(
          eq(schema.returns.storeId, opts.storeId),
          eq(schema.returns.emailNorm, order.emailNorm),
          gte(schema.returns.createdAt, opts.now - CAP_PERIOD_MS),
          notInArray(schema.returns.status, [...VOID_STATUSES]),
        ),
      ),
  );
  const recent = recentReturns?.n ?? 0;
  const eligibilityItems: EligibilityItem[] = items.map((i) => ({
    sku: i.sku,
    productId: i.productId,
    title: i.title,
    quantity: i.quantity,
    unitAmount: i.unitAmount,
    category: i.category,
    finalSale: i.finalSale,
  }));
  const eligibility = decideEligibility({
    policy: settings.returns,
    policyVersion: store.policyVersion,
    hasReturnAddress: settings.returnAddress !== null,
    timeZone: order.timeZone ?? settings.timeZone,
    locale: order.locale,
    now: opts.now,
    placedAt: order.placedAt,
    transitBufferDays: settings.transitDays,
    items: eligibilityItems,
    parcels: parcels.map((p) => ({
      createdAt: p.createdAt,
      firstScanAt: p.firstScanAt,
      deliveredAt: p.status === 'delivered' ? (p.deliveredAt ?? p.lastEventAt ?? p.updatedAt) : null,
      items: contents.filter((c) => c.shipmentId === p.id).map((c) => ({ sku: c.sku, quantity: c.quantity })),
    })),
    returned: await returnedQuantitiesWith(r, { storeId: opts.storeId, orderId: order.id }),
  });
  return {
    policy: settings.returns,
    policyVersion: store.policyVersion,
    settings,
    eligibility,
    capReached: capReached(settings.returns, recent),
    items: eligibilityItems,
    order,
  };
}
