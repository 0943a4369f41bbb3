// Queueing an email for carrier news reads and supersedes the order's own messages, by the order's
// index, however many emails the store has queued: the plan of each real query names
// messages_order_idx (SQLite's EXPLAIN QUERY PLAN). SQLite plans without statistics, so a store-wide
// index matching more columns would win there; PostgreSQL plans by its statistics, and on an empty
// test table any index is as cheap as another, so its plan says nothing here: SQLite only.
import { describe, expect, it } from 'vitest';
import { databaseDialect, db, queryPlan } from '../../../src/server/db.ts';
import { supersedeQuery, waitingShippedQuery } from '../../../src/server/messages/queue-email.ts';
import { freshDatabase } from '../../support/database.ts';

/** The query with a value for each of its placeholders (EXPLAIN needs values to bind). */
const filled = (q: { toSQL(): { sql: string; params: unknown[] } }) => ({
  toSQL() {
    const { sql, params } = q.toSQL();
    const value = (p: unknown) => (p && typeof p === 'object' && 'name' in p ? ((p as { name: string }).name === 'now' ? 0 : 'x') : p);
    return { sql, params: params.map(value) };
  },
});

const BY_ORDER = /(USING INDEX|Index Scan using|Bitmap Index Scan on) messages_order_idx/;

describe.skipIf(databaseDialect() !== 'sqlite')('queue-email plans', () => {
  it("the order's waiting dispatch email, by messages_order_idx", async () => {
    await freshDatabase();
    expect(await queryPlan(filled(waitingShippedQuery(db())))).toMatch(BY_ORDER);
  });

  it("superseding the parcel's unsent emails, by messages_order_idx", async () => {
    expect(await queryPlan(filled(supersedeQuery(db())))).toMatch(BY_ORDER);
  });
});
