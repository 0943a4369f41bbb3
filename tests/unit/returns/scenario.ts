// A store with a return address and an order whose parcels arrived, for the returns tests.
import { eq } from 'drizzle-orm';
import { schema, transaction } from '../../../src/server/db.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { createStore } from '../../../src/server/stores/create-store.ts';
import { orderBody } from '../../fixtures/factories.ts';

export const RETURN_ADDRESS = {
  name: 'Returns Dept',
  street1: '500 Warehouse Way',
  city: 'Reno',
  state: 'NV',
  postalCode: '89501',
  country: 'US',
};

let n = 0;

/** A store (EasyPost key set) with the given returns policy and one order of a tent and two mugs, both delivered. */
export async function returnsScenario(opts: { returns?: Record<string, unknown>; deliveredAt?: number; returnAddress?: boolean } = {}) {
  n++;
  const { store, apiKey } = await createStore({
    slug: `ret-${process.pid}-${n}`,
    name: 'Returns Store',
    easypostKey: 'EZAK_returns_test_key',
    webhookSecret: 'returns-secret',
    settings: { returnAddress: opts.returnAddress === false ? null : RETURN_ADDRESS, returns: opts.returns ?? {} } as never,
  });
  const body = orderBody({
    number: `R${n}`,
    placedAt: '2026-11-01T10:00:00Z',
    shipments: [
      { carrier: 'USPS', trackingCode: `9400RET${process.pid}${n}A`, items: [{ sku: 'TENT-2P', quantity: 1 }] },
      { carrier: 'USPS', trackingCode: `9400RET${process.pid}${n}B`, items: [{ sku: 'MUG', quantity: 2 }] },
    ],
  });
  const { orderId: id } = await upsertOrder({ storeId: store.id, body });
  const deliveredAt = opts.deliveredAt ?? Date.now() - 2 * 86_400_000;
  await transaction((tx) =>
    tx
      .update(schema.shipments)
      .set({ status: 'delivered', deliveredAt, firstScanAt: deliveredAt - 86_400_000, nextSyncAt: null })
      .where(eq(schema.shipments.orderId, id)),
  );
  return { store, apiKey, orderId: id, number: `R${n}` };
}

/** Form fields returning one tent for a refund. */
export function tentReturn(key: string, over: Record<string, string> = {}): Record<string, string> {
  return { key, resolution: 'refund', 'qty[TENT-2P]': '1', 'reason[TENT-2P]': 'too_small', ...over };
}
