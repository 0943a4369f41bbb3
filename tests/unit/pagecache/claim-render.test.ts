// A change made by a process without a render queue (the worker) is claimed for rendering by
// exactly one portal, however many try at once; a portal's own change is never up for claiming.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, schema, transaction } from '../../../src/server/db.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { claimRenders } from '../../../src/server/pagecache/claim-render.ts';
import { onOwnChange, recordPageChange } from '../../../src/server/pagecache/record-change.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

let storeId: string;
let orderId: string;

const change = () =>
  transaction(async (tx) => {
    await recordPageChange(tx, storeId, orderId, Date.now());
  });
const lastSeq = async () => {
  const rows = await db()
    .select({ seq: schema.pageChanges.seq, claimed: schema.pageChanges.claimed })
    .from(schema.pageChanges)
    .where(eq(schema.pageChanges.orderId, orderId));
  return rows.sort((a, b) => b.seq - a.seq)[0]!;
};

describe('claimRenders', () => {
  beforeEach(async () => {
    await freshDatabase();
    storeId = (await makeStore()).store.id;
    orderId = (await upsertOrder({ storeId, body: orderBody() })).orderId;
  });

  it('gives a change from a process without a render queue to exactly one of several claimants', async () => {
    await change();
    const { seq, claimed } = await lastSeq();
    expect(claimed).toBe(0);
    const results = await Promise.all([claimRenders([seq]), claimRenders([seq]), claimRenders([seq])]);
    const winners = results.filter((r) => r.length > 0);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toEqual([{ seq, storeId, orderId }]);
    expect(await claimRenders([seq])).toEqual([]);
    expect((await lastSeq()).claimed).toBe(1);
  });

  it('leaves nothing to claim of a change committed by a process that renders its own', async () => {
    const off = onOwnChange(() => {});
    try {
      await change();
    } finally {
      off();
    }
    const { seq, claimed } = await lastSeq();
    expect(claimed).toBe(1);
    expect(await claimRenders([seq])).toEqual([]);
  });
});
