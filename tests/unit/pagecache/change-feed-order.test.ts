// The change feed delivers every change, in whatever order the transactions commit. On PostgreSQL a
// transaction that took a lower seq can commit after one with a higher seq: the feed, having read
// past it, must still deliver it once it commits (and a gap that never fills is given up). On
// SQLite seqs commit in order; the feed reads seq > last as before.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schema, transaction } from '../../../src/server/db.ts';
import { catchUpPageChanges, GAP_WAIT_MS, onPageChanges, stopPageChangeFeed } from '../../../src/server/pagecache/change-feed.ts';
import { freshDatabase } from '../../support/database.ts';
import { pgAdminUrl } from '../../support/pg.ts';

let target: string;
let seen: { seq: number; orderId: string | null }[];
let unsubscribe: () => void;

beforeEach(async () => {
  target = await freshDatabase();
  stopPageChangeFeed(); // a feed that starts from the current end of this database
  seen = [];
  unsubscribe = onPageChanges((changes) => seen.push(...changes.map((c) => ({ seq: c.seq, orderId: c.orderId }))));
  await catchUpPageChanges();
});
afterEach(() => {
  unsubscribe();
  stopPageChangeFeed();
});

const change = (orderId: string) =>
  transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.pageChanges)
      .values({ storeId: 'store-1', orderId, changedAt: Date.now() })
      .returning({ seq: schema.pageChanges.seq });
    return row!.seq;
  });

describe('the change feed', () => {
  it('delivers each committed change once, in seq order', async () => {
    const a = await change('a');
    const b = await change('b');
    await catchUpPageChanges();
    await catchUpPageChanges();
    expect(seen).toEqual([
      { seq: a, orderId: 'a' },
      { seq: b, orderId: 'b' },
    ]);
  });
});

describe.skipIf(!pgAdminUrl())('the change feed on PostgreSQL', () => {
  it('still delivers a lower seq whose transaction commits after a higher one was read', async () => {
    const late = new pg.Client({ connectionString: target });
    await late.connect();
    try {
      await late.query('BEGIN');
      const low = Number(
        (
          await late.query<{ seq: string }>(
            `INSERT INTO page_changes (store_id, order_id, changed_at) VALUES ('store-1', 'late', $1) RETURNING seq`,
            [Date.now()],
          )
        ).rows[0]!.seq,
      );
      const high = await change('early');
      expect(high).toBeGreaterThan(low);
      await catchUpPageChanges();
      expect(seen).toEqual([{ seq: high, orderId: 'early' }]); // the late one is not committed yet
      await late.query('COMMIT');
      await catchUpPageChanges();
      expect(seen).toEqual([
        { seq: high, orderId: 'early' },
        { seq: low, orderId: 'late' },
      ]);
      // Delivered once: later reads bring only what is new.
      const next = await change('next');
      await catchUpPageChanges();
      expect(seen.map((s) => s.seq)).toEqual([high, low, next]);
    } finally {
      await late.end();
    }
  });

  it('asks no more for a seq whose transaction rolled back, once it has waited long enough', async () => {
    const gone = new pg.Client({ connectionString: target });
    await gone.connect();
    try {
      await gone.query('BEGIN');
      await gone.query(`INSERT INTO page_changes (store_id, order_id, changed_at) VALUES ('store-1', 'rolled-back', $1)`, [Date.now()]);
      await gone.query('ROLLBACK');
    } finally {
      await gone.end();
    }
    const real = Date.now;
    const after = await change('after');
    await catchUpPageChanges();
    expect(seen.map((s) => s.orderId)).toEqual(['after']);
    // The skipped seq is looked for while a transaction could still hold it...
    const feedState = (globalThis as unknown as { __waypostFeed: { gaps: Map<number, number> } }).__waypostFeed;
    expect([...feedState.gaps.keys()]).toEqual([after - 1]);
    // ... and given up after GAP_WAIT_MS.
    Date.now = () => real() + GAP_WAIT_MS + 1_000;
    try {
      await catchUpPageChanges();
    } finally {
      Date.now = real;
    }
    expect(feedState.gaps.size).toBe(0);
  });
});
