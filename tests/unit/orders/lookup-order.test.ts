import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { LOOKUP_LIMIT, lookupOrder } from '../../../src/server/orders/lookup-order.ts';
import { readOrderToken } from '../../../src/server/orders/order-token.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

describe('lookupOrder', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    await freshDatabase();
    clock = manualClock('2026-11-22T10:00:00Z');
    store = (await makeStore({}, clock)).store;
    await upsertOrder({
      storeId: store.id,
      clock,
      body: orderBody({
        number: 'WP-1001',
        email: 'Ann.Lee@Example.com',
        shippingAddress: { name: 'Ann Lee', street1: '1 Main St', city: 'London', postalCode: 'SW1A 1AA', country: 'GB' },
      }),
    });
  });

  const find = (order: string, contact: string, client = 'client-1') => lookupOrder({ store, order, contact, client, clock });

  it('finds the order and hands out a token for this store', async () => {
    const r = await find('WP-1001', 'ann.lee@example.com');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(readOrderToken(store.id, r.token)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(readOrderToken('another-store', r.token)).toBeNull();
  });

  it.each(['WP-1001', '#WP-1001', ' #WP-1001 ', 'wp-1001', '#wp - 1001', 'Wp-1001'])('accepts the order number as %j', async (order) => {
    expect(await find(order, 'ann.lee@example.com')).toMatchObject({ ok: true });
  });

  it.each(['ann.lee@example.com', 'ANN.LEE@EXAMPLE.COM', '  Ann.Lee@Example.com  '])('accepts the email as %j', async (contact) => {
    expect(await find('WP-1001', contact)).toMatchObject({ ok: true });
  });

  it.each(['SW1A 1AA', 'sw1a1aa', ' sw1a-1aa ', 'Sw1A  1aA'])('accepts the postal code as %j', async (contact) => {
    expect(await find('WP-1001', contact)).toMatchObject({ ok: true });
  });

  it('gives the same answer for a wrong contact and for a missing order', async () => {
    const wrongEmail = await find('WP-1001', 'bob@example.com');
    const wrongPostal = await find('WP-1001', 'SW1A 1AB');
    const missing = await find('WP-9999', 'ann.lee@example.com');
    const missingPostal = await find('WP-9999', 'SW1A 1AA');
    expect(wrongEmail).toEqual({ ok: false, reason: 'no_match' });
    expect(wrongPostal).toEqual(wrongEmail);
    expect(missing).toEqual(wrongEmail);
    expect(missingPostal).toEqual(wrongEmail);
  });

  it('says incomplete when a field is empty', async () => {
    expect(await find('', 'ann.lee@example.com')).toEqual({ ok: false, reason: 'incomplete' });
    expect(await find(' # ', 'ann.lee@example.com')).toEqual({ ok: false, reason: 'incomplete' });
    expect(await find('WP-1001', '   ')).toEqual({ ok: false, reason: 'incomplete' });
  });

  it('rate-limits a client after 8 failures, even with the right details', async () => {
    expect(LOOKUP_LIMIT).toEqual({ max: 8, windowMs: 15 * 60_000 });
    for (let i = 0; i < 8; i++) expect(await find('WP-1001', `wrong${i}@example.com`)).toEqual({ ok: false, reason: 'no_match' });
    expect(await find('WP-1001', 'ann.lee@example.com')).toEqual({ ok: false, reason: 'rate_limited' });
    expect(await find('WP-9999', 'x@example.com')).toEqual({ ok: false, reason: 'rate_limited' });
  });

  it('does not limit another client', async () => {
    for (let i = 0; i < 8; i++) await find('WP-1001', `wrong${i}@example.com`, 'client-1');
    expect(await find('WP-1001', 'ann.lee@example.com', 'client-1')).toEqual({ ok: false, reason: 'rate_limited' });
    expect(await find('WP-1001', 'ann.lee@example.com', 'client-2')).toMatchObject({ ok: true });
    expect(await find('WP-1001', 'bob@example.com', 'client-2')).toEqual({ ok: false, reason: 'no_match' });
  });

  it('lets the client try again once the 15-minute window has passed', async () => {
    for (let i = 0; i < 8; i++) await find('WP-1001', `wrong${i}@example.com`);
    clock.advance(15 * 60_000 - 1);
    expect(await find('WP-1001', 'ann.lee@example.com')).toEqual({ ok: false, reason: 'rate_limited' });
    clock.advance(1);
    expect(await find('WP-1001', 'ann.lee@example.com')).toMatchObject({ ok: true });
    // and the new window counts from scratch
    for (let i = 0; i < 8; i++) expect(await find('WP-1001', `again${i}@example.com`)).toEqual({ ok: false, reason: 'no_match' });
    expect(await find('WP-1001', 'ann.lee@example.com')).toEqual({ ok: false, reason: 'rate_limited' });
  });

  it('does not count successful look-ups as failures', async () => {
    for (let i = 0; i < 20; i++) expect(await find('WP-1001', 'ann.lee@example.com')).toMatchObject({ ok: true });
    expect(await find('WP-1001', 'bob@example.com')).toEqual({ ok: false, reason: 'no_match' });
  });

  it('never finds another store’s order', async () => {
    const other = (await makeStore({}, clock)).store;
    const r = await lookupOrder({ store: other, order: 'WP-1001', contact: 'ann.lee@example.com', client: 'client-1', clock });
    expect(r).toEqual({ ok: false, reason: 'no_match' });
  });

  it('keeps rate limits per store', async () => {
    const other = (await makeStore({}, clock)).store;
    await upsertOrder({ storeId: other.id, clock, body: orderBody({ number: 'B-1' }) });
    for (let i = 0; i < 8; i++) await find('WP-1001', `wrong${i}@example.com`);
    expect(await lookupOrder({ store: other, order: 'B-1', contact: 'ann@example.com', client: 'client-1', clock })).toMatchObject({
      ok: true,
    });
  });
});
