// A store with one of each queue item, made through the real domain on a manual clock:
//   X1 (FedEx)  carrier exception "failure/address_not_found" at 11-21 15:00Z → notice + case
//   W4 (UPS)    promised 11-22, scanned once; the delay scan at 11-24 06:00Z finds it late
//   Y2 (USPS)   label never scanned; the delay scan at 11-24 15:00Z tells "not scanned"
//   Z3          nothing shipped; the delay scan at 11-25 06:00Z tells a delayed dispatch
// plus a second store with its own exception, to prove nothing crosses over.
import { reportProblem } from '../../../src/server/cases/report-problem.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { createUser } from '../../../src/server/users/create-user.ts';
import { makeStore } from '../../fixtures/factories.ts';
import { scanForDelays } from '../../../src/server/changes/deadlines-passed.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { apply, event, newOrder, snap, world, type ManualClock } from '../notices/helpers.ts';

export const T = {
  exception: Date.parse('2026-11-21T15:00:00Z'),
  late: Date.parse('2026-11-24T06:00:00Z'),
  notScanned: Date.parse('2026-11-24T15:00:00Z'),
  dispatch: Date.parse('2026-11-25T06:00:00Z'),
};

const parcel = (carrier: string, trackingCode: string, promisedDeliveryDate: string) => ({
  shipments: [
    {
      carrier,
      trackingCode,
      promisedDeliveryDate,
      items: [
        { sku: 'TENT-2P', quantity: 1 },
        { sku: 'MUG', quantity: 2 },
      ],
    },
  ],
});

/** Builds the scenario; returns both stores, the clock and the ids of what was made. */
export async function queueScenario() {
  const { store, clock } = await world('2026-11-20T15:00:00Z');
  const x = await newOrder(store, clock, { number: 'X1', customerName: 'Xena Park', ...parcel('FedEx', 'FX0001', '2026-12-20') });
  const y = await newOrder(store, clock, { number: 'Y2', customerName: 'Yuri Tan', ...parcel('USPS', 'US0002', '2026-12-20') });
  const z = await newOrder(store, clock, { number: 'Z3', customerName: 'Zoe Ruiz', shipments: [] });
  const w = await newOrder(store, clock, { number: 'W4', customerName: 'Wes Obi', ...parcel('UPS', 'UP0004', '2026-11-22') });
  clock.set('2026-11-20T18:00:00Z');
  await apply(store, clock, x.shipmentId, snap('in_transit', [event('2026-11-20T17:00:00Z', 'in_transit', 'Picked up')]));
  await apply(store, clock, w.shipmentId, snap('in_transit', [event('2026-11-20T17:30:00Z', 'in_transit', 'Picked up')]));
  clock.set(T.exception);
  await apply(
    store,
    clock,
    x.shipmentId,
    snap(
      'failure',
      [
        event('2026-11-20T17:00:00Z', 'in_transit', 'Picked up'),
        event('2026-11-21T14:00:00Z', 'failure', 'Delivery exception: incorrect address', { statusDetail: 'address_not_found' }),
      ],
      { statusDetail: 'address_not_found' },
    ),
  );
  for (const t of [T.late, T.notScanned, T.dispatch]) await scanForDelays(t);
  clock.set(T.dispatch + 3_600_000);
  const other = await otherStore(clock);
  return { store, clock, x, y, z, w, other };
}

async function otherStore(clock: ManualClock): Promise<{ store: Store; orderId: string; shipmentId: string }> {
  const { store } = await makeStore({}, clock);
  const o = await newOrder(store, clock, { number: 'X1', ...parcel('DHL', 'DH9999', '2026-12-20') });
  await apply(store, clock, o.shipmentId, snap('return_to_sender', [event(clock.now() - 60_000, 'return_to_sender', 'Returned')]));
  return { store, orderId: o.orderId, shipmentId: o.shipmentId };
}

let people = 0;

/** A staff account of the store (through the real createUser); returns the audit actor too. */
export async function staffOf(store: Store, name: string, now: number) {
  people++;
  const email = `${name.toLowerCase()}.${people}@${store.slug}.example`;
  const u = await createUser(
    { storeId: store.id, email, name, role: 'staff', password: 'a-long-test-password-2026' },
    { userId: null, label: 'test' },
    now,
  );
  return { id: u.id, email: u.email, name, actor: { userId: u.id, label: u.email } };
}

/** A shopper's problem report on a parcel of the order, at the clock's time; returns the case id. */
export async function report(store: Store, clock: ManualClock, number: string, shipment: string, kind: string, message: string) {
  const order = (await getOrderByNumber(store, number, clock))!;
  return (await reportProblem({ order, input: { shipment, kind, message }, now: clock.now() })).caseId;
}
