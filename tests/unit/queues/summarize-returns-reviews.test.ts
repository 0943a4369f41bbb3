// The dashboard's returns and reviews counts: what waits for a person, per store.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { schema, transaction } from '../../../src/server/db.ts';
import { summarizeReturnsReviews } from '../../../src/server/queues/summarize-returns-reviews.ts';
import { createReturn } from '../../../src/server/returns/create-return.ts';
import { returnMoved } from '../../../src/server/changes/return-moved.ts';
import { freshDatabase } from '../../support/database.ts';
import { returnsScenario, tentReturn } from '../returns/scenario.ts';

beforeEach(async () => {
  await freshDatabase();
});

describe('summarizeReturnsReviews', () => {
  it('counts requests to approve, failed labels and received returns of this store only', async () => {
    const a = await returnsScenario({ returns: { approval: 'review' } });
    const b = await returnsScenario();
    const empty = { returnsToApprove: 0, labelProblems: 0, returnsToSettle: 0, reviewsPending: 0 };
    expect(await summarizeReturnsReviews(a.store.id)).toEqual(empty);

    await createReturn({
      moved: returnMoved,
      storeId: a.store.id,
      orderId: a.orderId,
      fields: tentReturn('dash-key-0000000000001'),
      now: Date.now(),
    });
    const mug = { key: 'dash-key-0000000000002', resolution: 'refund', 'qty[MUG]': '1', 'reason[MUG]': 'too_small' };
    const other = await createReturn({ moved: returnMoved, storeId: b.store.id, orderId: b.orderId, fields: mug, now: Date.now() });
    expect(await summarizeReturnsReviews(a.store.id)).toEqual({ ...empty, returnsToApprove: 1 });

    await transaction((tx) => tx.update(schema.returns).set({ labelState: 'failed' }).where(eq(schema.returns.id, other.id)));
    expect(await summarizeReturnsReviews(b.store.id)).toEqual({ ...empty, labelProblems: 1 });
    await transaction((tx) =>
      tx.update(schema.returns).set({ status: 'received', labelState: 'bought' }).where(eq(schema.returns.id, other.id)),
    );
    expect(await summarizeReturnsReviews(b.store.id)).toEqual({ ...empty, returnsToSettle: 1 });
    expect(await summarizeReturnsReviews(a.store.id)).toEqual({ ...empty, returnsToApprove: 1 });
  });
});
