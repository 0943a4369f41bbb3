// Analytics' check-in figures read only the period's rows, by index, however many check-ins a
// store has: the plan of each real query names its index and its range (SQLite's EXPLAIN QUERY
// PLAN; on the PostgreSQL leg, EXPLAIN names the index), and none scans the table. The figures
// themselves (asked, answered first from the page) are checked over real data in
// tests/integration/checkin.test.ts.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checkinFigureQueries } from '../../../src/server/checkins/checkin-figures.ts';
import { databaseDialect, db, queryPlan, schema } from '../../../src/server/db.ts';
import { freshDatabase } from '../../support/database.ts';

const c = schema.checkins;
const period = { storeId: 'store-1', from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z') };
/** A sequential scan of the table: SQLite's "SCAN checkins" (no index), PostgreSQL's "Seq Scan on checkins". */
const TABLE_SCAN = /SCAN checkins(?! USING)|Seq Scan on checkins/;
const sqlite = () => databaseDialect() === 'sqlite';

describe('checkinFigures', () => {
  it('asked in the period: a range of (store_id, asked_at)', async () => {
    await freshDatabase();
    const [asked] = checkinFigureQueries(period);
    const plan = await queryPlan(asked!);
    expect(plan).toMatch(/checkins_store_asked_idx/);
    if (sqlite()) expect(plan).toContain('USING INDEX checkins_store_asked_idx (store_id=? AND asked_at>? AND asked_at<?)');
    expect(plan).not.toMatch(TABLE_SCAN);
  });

  it('never asked but answered from the page in the period: a range of the partial (store_id, answered_at) where asked_at is null', async () => {
    const [, answeredFirst] = checkinFigureQueries(period);
    const plan = await queryPlan(answeredFirst!);
    expect(plan).toMatch(/checkins_store_answered_unasked_idx/);
    if (sqlite())
      expect(plan).toContain('USING INDEX checkins_store_answered_unasked_idx (store_id=? AND answered_at>? AND answered_at<?)');
    expect(plan).not.toMatch(TABLE_SCAN);
  });

  it.runIf(sqlite())('the one range over coalesce(asked_at, answered_at) it replaces read every check-in of the store', async () => {
    const at = sql`coalesce(${c.askedAt}, ${c.answeredAt})`;
    const old = db()
      .select({ n: sql<number>`count(*)` })
      .from(c)
      .where(sql`${c.storeId} = ${period.storeId} and ${at} >= ${period.from} and ${at} < ${period.to}`);
    // Only the store's prefix of an index: each of its rows is read to test the expression.
    expect(await queryPlan(old)).toBe('SEARCH checkins USING INDEX checkins_store_asked_idx (store_id=?)');
  });
});
