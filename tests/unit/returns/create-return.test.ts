// Creating a return on a real SQLite file: one open return per unit across keys, the same key is
// the same return, the per-customer cap, review-first stores, and refusals that write nothing.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { isAppError } from '../../../src/server/errors.ts';
import { createReturn } from '../../../src/server/returns/create-return.ts';
import { returnMoved } from '../../../src/server/changes/return-moved.ts';
import { freshDatabase } from '../../support/database.ts';
import { returnsScenario, tentReturn } from './scenario.ts';

beforeEach(async () => {
  await freshDatabase();
});

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
const count = async () => (await db().select().from(schema.returns)).length;

describe('createReturn', () => {
  it('records the amounts, the policy version and an approval by policy', async () => {
    const { store, orderId } = await returnsScenario({ returns: { shippingFee: 500 } });
    const r = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('first-key-000000000001'),
      now: Date.now(),
    });
    const row = (await firstRow(db().select().from(schema.returns).where(eq(schema.returns.id, r.id))))!;
    const storeRow = (await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, store.id))))!;
    expect(row).toMatchObject({
      status: 'requested',
      itemsAmount: 24900,
      shippingFee: 500,
      totalBack: 24400,
      labelState: 'pending',
      policyVersion: storeRow.policyVersion,
    });
    const events = await db().select().from(schema.returnEvents).where(eq(schema.returnEvents.returnId, r.id));
    expect(events.map((e) => [e.kind, e.actor])).toEqual([
      ['requested', 'shopper'],
      ['approved', 'policy (approved at once)'],
    ]);
  });

  it('the same key is the same return; another key cannot return the same unit again', async () => {
    const { store, orderId } = await returnsScenario();
    const a = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('unit-key-0000000000001'),
      now: Date.now(),
    });
    const again = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('unit-key-0000000000001'),
      now: Date.now(),
    });
    expect(again).toMatchObject({ id: a.id, created: false });
    const err = await refusal(
      createReturn({ moved: returnMoved, storeId: store.id, orderId, fields: tentReturn('unit-key-0000000000002'), now: Date.now() }),
    );
    expect(err.errors).toEqual([expect.objectContaining({ pointer: '/qty/TENT-2P', detail: 'Already returned.' })]);
    expect(await count()).toBe(1);
  });

  it('partial quantities: two mugs in two returns, not three', async () => {
    const { store, orderId } = await returnsScenario();
    const mug = (key: string, qty: string) => ({ key, resolution: 'refund', 'qty[MUG]': qty, 'reason[MUG]': 'too_small' });
    await createReturn({ moved: returnMoved, storeId: store.id, orderId, fields: mug('mug-key-00000000000001', '1'), now: Date.now() });
    const err = await refusal(
      createReturn({ moved: returnMoved, storeId: store.id, orderId, fields: mug('mug-key-00000000000002', '2'), now: Date.now() }),
    );
    expect(err.errors[0]!.detail).toBe('You can return at most 1 of this item.');
    await createReturn({ moved: returnMoved, storeId: store.id, orderId, fields: mug('mug-key-00000000000003', '1'), now: Date.now() });
    expect(await count()).toBe(2);
  });

  it('the per-customer cap refuses a further return', async () => {
    const { store, orderId } = await returnsScenario({ returns: { maxReturnsPer90Days: 1 } });
    await createReturn({ moved: returnMoved, storeId: store.id, orderId, fields: tentReturn('cap-key-00000000000001'), now: Date.now() });
    const err = await refusal(
      createReturn({
        moved: returnMoved,
        storeId: store.id,
        orderId,
        fields: { key: 'cap-key-00000000000002', resolution: 'refund', 'qty[MUG]': '1', 'reason[MUG]': 'too_small' },
        now: Date.now(),
      }),
    );
    expect(err.errors[0]!.detail).toContain('limit of 1 returns in 90 days');
    expect(await count()).toBe(1);
  });

  it('a store that reviews first: no label yet, a case for staff', async () => {
    const { store, orderId } = await returnsScenario({ returns: { approval: 'review' } });
    const r = await createReturn({
      moved: returnMoved,
      storeId: store.id,
      orderId,
      fields: tentReturn('review-key-0000000001'),
      now: Date.now(),
    });
    expect(r.labelDue).toBe(false);
    const cases = await db().select().from(schema.cases);
    expect(cases.map((c) => [c.kind, c.source, c.status])).toEqual([['return_review', 'return', 'open']]);
  });

  it.each([
    ['no reason', { 'reason[TENT-2P]': '' }, '/reason/TENT-2P', 'Choose a reason.'],
    ['a note the reason needs', { 'reason[TENT-2P]': 'other' }, '/note/TENT-2P', 'Please tell us a little more about what happened.'],
    ['a resolution the store does not offer', { resolution: 'exchange' }, '/resolution', 'Choose what you would like back.'],
    ['an item not in the order', { 'qty[NOPE]': '1' }, '/qty/NOPE', 'This item is not part of the order.'],
    ['no one-time key', { key: 'x' }, '/key', 'The form is out of date. Please start again.'],
  ])('refuses %s and writes nothing', async (_n, over, pointer, detail) => {
    const { store, orderId } = await returnsScenario();
    const err = await refusal(
      createReturn({
        moved: returnMoved,
        storeId: store.id,
        orderId,
        fields: tentReturn('refuse-key-0000000001', over as Record<string, string>),
        now: Date.now(),
      }),
    );
    expect(err.errors).toContainEqual(expect.objectContaining({ pointer, detail }));
    expect(await count()).toBe(0);
  });

  it('nothing is returnable without a return address', async () => {
    const { store, orderId } = await returnsScenario({ returnAddress: false });
    const err = await refusal(
      createReturn({ moved: returnMoved, storeId: store.id, orderId, fields: tentReturn('noaddr-key-000000001'), now: Date.now() }),
    );
    expect(err.errors[0]!.detail).toContain('Returns are not open yet');
  });
});
