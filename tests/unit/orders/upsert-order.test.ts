import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';
import { orderTablesSnapshot, rowCounts } from '../helpers/row-counts.ts';

/** The AppError a call rejects with (fails the test if it resolves or throws anything else). */
async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** The distinct pointers of the fields at fault (a field may carry more than one message). */
const pointers = (e: AppError) => [...new Set(e.errors.map((x) => x.pointer))].sort();

describe('upsertOrder', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    await freshDatabase();
    clock = manualClock('2026-11-20T15:00:00Z');
    store = (await makeStore({}, clock)).store;
  });

  const upsert = (body: unknown, storeId = store.id) => upsertOrder({ storeId, body, clock });
  const orderRow = async (id: string) => await firstRow(db().select().from(schema.orders).where(eq(schema.orders.id, id)));
  const itemsOf = async (orderId: string) =>
    await db().select().from(schema.orderItems).where(eq(schema.orderItems.orderId, orderId)).orderBy(schema.orderItems.position);

  describe('create, repeat, update', () => {
    it('creates the order with its items and shipments', async () => {
      const r = await upsert(orderBody());
      expect(r.created).toBe(true);
      expect(r.unchanged).toBe(false);
      const row = (await orderRow(r.orderId))!;
      expect(row).toMatchObject({
        storeId: store.id,
        number: '1001',
        numberNorm: '1001',
        email: 'ann@example.com',
        emailNorm: 'ann@example.com',
        postalNorm: '97201',
        placedAt: Date.parse('2026-11-20T14:03:00Z'),
        currency: 'USD',
        locale: 'en-US',
        timeZone: null,
        createdAt: clock.now(),
        updatedAt: clock.now(),
      });
      expect((await itemsOf(r.orderId)).map((i) => [i.sku, i.productId, i.quantity, i.unitAmount, i.position, i.finalSale])).toEqual([
        ['TENT-2P', 'TENT-2P', 1, 24900, 0, false],
        ['MUG', 'MUG', 2, 1500, 1, false],
      ]);
      const ships = await db().select().from(schema.shipments).where(eq(schema.shipments.orderId, r.orderId));
      expect(ships.map((s) => [s.carrier, s.trackingCode, s.promisedDate, s.status])).toEqual([
        ['USPS', '9400100000000000000001', '2026-11-25', 'unknown'],
      ]);
      expect(await rowCounts()).toMatchObject({ orders: 1, orderItems: 2, shipments: 1, shipmentItems: 1, pageChanges: 1 });
    });

    it('stores a "#1001" number without its # and finds it again as "1001"', async () => {
      const a = await upsert(orderBody({ number: '#1001' }));
      expect(await orderRow(a.orderId)).toMatchObject({ number: '1001', numberNorm: '1001' });
      const b = await upsert(orderBody({ number: '1001', customerName: 'Ann B. Lee' }));
      expect(b).toEqual({ created: false, orderId: a.orderId, unchanged: false });
    });

    it('treats the same body again as a no-op that writes nothing', async () => {
      const first = await upsert(orderBody());
      const before = await orderTablesSnapshot();
      clock.advance(60_000);
      const again = await upsert(orderBody());
      expect(again).toEqual({ created: true, orderId: first.orderId, unchanged: true });
      expect(await orderTablesSnapshot()).toEqual(before);
      expect((await orderRow(first.orderId))!.updatedAt).toBe(Date.parse('2026-11-20T15:00:00Z'));
    });

    it('recognises the same body whatever the key order and defaults spelled out', async () => {
      const first = await upsert(orderBody());
      const body = orderBody();
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      clock.advance(1000);
      expect(await upsert(reordered)).toMatchObject({ orderId: first.orderId, unchanged: true });
      const { locale: _locale, ...withoutLocale } = body; // 'en-US' is the default
      const spelled = { ...withoutLocale, items: body.items.map((i) => ({ ...i, finalSale: false })) };
      expect(await upsert(spelled)).toMatchObject({ orderId: first.orderId, unchanged: true });
      expect((await orderRow(first.orderId))!.updatedAt).toBe(Date.parse('2026-11-20T15:00:00Z'));
    });

    it('updates a changed order and replaces its items', async () => {
      const first = await upsert(orderBody());
      clock.advance(60_000);
      const r = await upsert(
        orderBody({
          customerName: 'Ann B. Lee',
          items: [
            { sku: 'TENT-2P', title: 'Two-person tent', variant: 'Blue', quantity: 1, unitAmount: 23900 },
            { sku: 'LANTERN', title: 'Lantern', quantity: 3, unitAmount: 999, productId: 'LANTERN-BASE', finalSale: true },
          ],
        }),
      );
      expect(r).toEqual({ created: false, orderId: first.orderId, unchanged: false });
      const row = (await orderRow(first.orderId))!;
      expect(row.customerName).toBe('Ann B. Lee');
      expect(row.createdAt).toBe(Date.parse('2026-11-20T15:00:00Z'));
      expect(row.updatedAt).toBe(Date.parse('2026-11-20T15:01:00Z'));
      expect((await itemsOf(first.orderId)).map((i) => [i.sku, i.productId, i.variant, i.quantity, i.unitAmount, i.finalSale])).toEqual([
        ['TENT-2P', 'TENT-2P', 'Blue', 1, 23900, false],
        ['LANTERN', 'LANTERN-BASE', null, 3, 999, true],
      ]);
      expect(await rowCounts()).toMatchObject({ orders: 1, orderItems: 2, shipments: 1, shipmentItems: 1, pageChanges: 2 });
      // the same updated body again is now a no-op answering "updated"
      clock.advance(60_000);
      expect(
        await upsert(
          orderBody({
            customerName: 'Ann B. Lee',
            items: [
              { sku: 'TENT-2P', title: 'Two-person tent', variant: 'Blue', quantity: 1, unitAmount: 23900 },
              { sku: 'LANTERN', title: 'Lantern', quantity: 3, unitAmount: 999, productId: 'LANTERN-BASE', finalSale: true },
            ],
          }),
        ),
      ).toEqual({ created: false, orderId: first.orderId, unchanged: true });
    });

    it('updates an existing shipment in place by its tracking code', async () => {
      const first = await upsert(orderBody());
      const [ship] = await db().select().from(schema.shipments);
      clock.advance(1000);
      await upsert(
        orderBody({
          shipments: [
            {
              carrier: 'USPS',
              trackingCode: '9400100000000000000001',
              items: [
                { sku: 'TENT-2P', quantity: 1 },
                { sku: 'MUG', quantity: 2 },
              ],
              promisedDeliveryDate: '2026-11-26',
            },
          ],
        }),
      );
      const ships = await db().select().from(schema.shipments).where(eq(schema.shipments.orderId, first.orderId));
      expect(ships.map((s) => [s.id, s.promisedDate])).toEqual([[ship!.id, '2026-11-26']]);
      const items = await db().select().from(schema.shipmentItems).where(eq(schema.shipmentItems.shipmentId, ship!.id));
      expect(items.map((i) => [i.sku, i.quantity]).sort()).toEqual([
        ['MUG', 2],
        ['TENT-2P', 1],
      ]);
    });

    it('creates one order when the same new order arrives twice at once', async () => {
      const [a, b] = await Promise.all([upsert(orderBody()), upsert(orderBody())]);
      expect(a.orderId).toBe(b.orderId);
      expect([a.unchanged, b.unchanged].sort()).toEqual([false, true]);
      expect(await rowCounts()).toMatchObject({ orders: 1, orderItems: 2, shipments: 1 });
    });
  });

  describe('validation', () => {
    const withItem = (i: number, over: Record<string, unknown>) => {
      const items = orderBody().items.map((it) => ({ ...it })) as Record<string, unknown>[];
      items[i] = { ...items[i], ...over };
      return orderBody({ items });
    };
    const { number: _omit, ...withoutNumber } = orderBody();

    const cases: [string, unknown, string[]][] = [
      ['missing number', withoutNumber, ['/number']],
      ['bad number', orderBody({ number: '10 01!' }), ['/number']],
      ['bad email', orderBody({ email: 'ann-at-example.com' }), ['/email']],
      ['unknown currency XYZ', orderBody({ currency: 'XYZ' }), ['/currency']],
      ['lower-case currency', orderBody({ currency: 'usd' }), ['/currency']],
      ['bad locale', orderBody({ locale: 'en_US' }), ['/locale']],
      ['bad time zone', orderBody({ timeZone: 'Mars/Olympus' }), ['/timeZone']],
      ['bad placedAt', orderBody({ placedAt: '20 November 2026' }), ['/placedAt']],
      ['bad country', orderBody({ shippingAddress: { ...orderBody().shippingAddress, country: 'usa' } }), ['/shippingAddress/country']],
      ['no items', orderBody({ items: [] }), ['/items']],
      ['negative quantity', withItem(0, { quantity: -1 }), ['/items/0/quantity']],
      ['zero quantity', withItem(1, { quantity: 0 }), ['/items/1/quantity']],
      ['non-integer unitAmount', withItem(1, { unitAmount: 14.99 }), ['/items/1/unitAmount']],
      ['negative unitAmount', withItem(0, { unitAmount: -1 }), ['/items/0/unitAmount']],
      ['http imageUrl', withItem(0, { imageUrl: 'http://cdn.example.com/tent.jpg' }), ['/items/0/imageUrl']],
      ['duplicate SKU', withItem(1, { sku: 'TENT-2P' }), ['/items/1/sku']],
      [
        'shipment SKU not in the order',
        orderBody({ shipments: [{ carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'STOVE', quantity: 1 }] }] }),
        ['/shipments/0/items/0/sku'],
      ],
      [
        'shipped quantity over ordered across two shipments',
        orderBody({
          shipments: [
            { carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'MUG', quantity: 1 }] },
            { carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [{ sku: 'MUG', quantity: 2 }] },
          ],
        }),
        ['/shipments/1/items/0/quantity'],
      ],
      [
        'impossible promisedDeliveryDate 2026-02-30',
        orderBody({
          shipments: [
            {
              carrier: 'USPS',
              trackingCode: '9400100000000000000001',
              items: [{ sku: 'MUG', quantity: 1 }],
              promisedDeliveryDate: '2026-02-30',
            },
          ],
        }),
        ['/shipments/0/promisedDeliveryDate'],
      ],
      [
        'badly written promisedDeliveryDate',
        orderBody({
          shipments: [
            {
              carrier: 'USPS',
              trackingCode: '9400100000000000000001',
              items: [{ sku: 'MUG', quantity: 1 }],
              promisedDeliveryDate: '25/11/2026',
            },
          ],
        }),
        ['/shipments/0/promisedDeliveryDate'],
      ],
      [
        'the same tracking code twice in one order',
        orderBody({
          shipments: [
            { carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'MUG', quantity: 1 }] },
            { carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'TENT-2P', quantity: 1 }] },
          ],
        }),
        ['/shipments/1/trackingCode'],
      ],
      ['several bad fields at once', orderBody({ email: 'nope', currency: 'XYZ', locale: 'en_US' }), ['/currency', '/email', '/locale']],
      ['not an object', 'hello', ['/']],
    ];

    it.each(cases)('refuses %s with the field’s JSON pointer and writes nothing', async (_name, body, expected) => {
      const before = await rowCounts();
      const err = await refusal(upsert(body));
      expect(err.kind).toBe('invalid');
      expect(err.status).toBe(422);
      expect(pointers(err)).toEqual(expected);
      for (const e of err.errors) expect(e.detail.length).toBeGreaterThan(0);
      expect(await rowCounts()).toEqual(before);
    });

    it('leaves an existing order exactly as it was when an update is refused', async () => {
      await upsert(orderBody());
      const before = await orderTablesSnapshot();
      clock.advance(60_000);
      const err = await refusal(upsert(withItem(0, { quantity: -1, title: 'Changed' })));
      expect(pointers(err)).toEqual(['/items/0/quantity']);
      const err2 = await refusal(
        upsert(
          orderBody({
            customerName: 'Changed',
            shipments: [{ carrier: 'UPS', trackingCode: '1Z999AA10123456784', items: [{ sku: 'TENT-2P', quantity: 1 }] }],
          }),
        ),
      );
      // TENT-2P is already in the stored shipment 9400…0001: a second parcel would ship 2 of 1 ordered.
      expect(err2.kind).toBe('invalid');
      expect(pointers(err2)).toEqual(['/shipments/0/items/0/quantity']);
      expect(await orderTablesSnapshot()).toEqual(before);
    });
  });

  describe('shipped items stay consistent with the order', () => {
    it('refuses an update that drops an item already in a stored parcel', async () => {
      // Stored: TENT-2P ×1 shipped in 9400…0001. The update leaves the parcel out of the body and drops TENT-2P.
      await upsert(orderBody());
      const before = await orderTablesSnapshot();
      const err = await refusal(
        upsert(orderBody({ items: [{ sku: 'MUG', title: 'Camp mug', quantity: 2, unitAmount: 1500 }], shipments: [] })),
      );
      expect(err.kind).toBe('invalid');
      expect(await orderTablesSnapshot()).toEqual(before);
    });

    it('refuses an update that orders fewer units than are already shipped', async () => {
      await upsert(
        orderBody({ shipments: [{ carrier: 'USPS', trackingCode: '9400100000000000000001', items: [{ sku: 'MUG', quantity: 2 }] }] }),
      );
      const before = await orderTablesSnapshot();
      const err = await refusal(
        upsert(
          orderBody({
            items: [
              { sku: 'TENT-2P', title: 'Two-person tent', quantity: 1, unitAmount: 24900 },
              { sku: 'MUG', title: 'Camp mug', quantity: 1, unitAmount: 1500 },
            ],
            shipments: [],
          }),
        ),
      );
      expect(err.kind).toBe('invalid');
      expect(pointers(err)).toEqual(['/items/1/quantity']);
      expect(await orderTablesSnapshot()).toEqual(before);
    });
  });

  describe('conflicts and tenants', () => {
    it('refuses a tracking code that belongs to another order, writing nothing', async () => {
      await upsert(orderBody());
      const before = await rowCounts();
      const err = await refusal(upsert(orderBody({ number: '1002' })));
      expect(err.kind).toBe('conflict');
      expect(err.status).toBe(409);
      expect(pointers(err)).toEqual(['/shipments/0/trackingCode']);
      expect(await rowCounts()).toEqual(before);
    });

    it('keeps another store’s order with the same number separate', async () => {
      const a = await upsert(orderBody());
      const storeB = (await makeStore({}, clock)).store;
      const b = await upsert(
        orderBody({ customerName: 'Bob Roe', items: [{ sku: 'B-ONLY', title: 'B item', quantity: 1, unitAmount: 100 }], shipments: [] }),
        storeB.id,
      );
      expect(b.created).toBe(true);
      expect(b.orderId).not.toBe(a.orderId);
      expect((await orderRow(a.orderId))!.customerName).toBe('Ann Lee');
      expect((await itemsOf(a.orderId)).map((i) => i.sku)).toEqual(['TENT-2P', 'MUG']);
      expect(await orderRow(b.orderId)).toMatchObject({ storeId: storeB.id, customerName: 'Bob Roe' });
      // B's update touches only B's order
      clock.advance(1000);
      await upsert(
        orderBody({ customerName: 'Bob Roe 2', items: [{ sku: 'B-ONLY', title: 'B item', quantity: 1, unitAmount: 100 }], shipments: [] }),
        storeB.id,
      );
      expect((await orderRow(a.orderId))!.customerName).toBe('Ann Lee');
      expect((await orderRow(a.orderId))!.updatedAt).toBe(Date.parse('2026-11-20T15:00:00Z'));
    });

    it('lets another store use the same tracking code without touching the first store’s shipment', async () => {
      const a = await upsert(orderBody());
      const storeB = (await makeStore({}, clock)).store;
      const b = await upsert(orderBody({ number: '2001' }), storeB.id);
      const ships = await db().select().from(schema.shipments);
      expect(ships.map((s) => [s.storeId, s.orderId]).sort()).toEqual(
        [
          [store.id, a.orderId],
          [storeB.id, b.orderId],
        ].sort(),
      );
    });
  });
});
