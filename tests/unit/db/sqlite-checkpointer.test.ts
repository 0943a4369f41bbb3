// WAL checkpoints on a thread of their own (SQLite only): with checkpointInBackground() the writing
// connection stops checkpointing by itself, and the thread copies committed pages into the
// database file all the same, so the file grows as data is written; closeDatabase() stops it.
import { count } from 'drizzle-orm';
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointInBackground, closeDatabase, db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { freshDatabase } from '../../support/database.ts';
import { pgAdminUrl } from '../../support/pg.ts';
import { waitUntil } from '../../support/wait.ts';

const size = (path: string) => statSync(path).size;

describe.skipIf(!!pgAdminUrl())('WAL checkpoints in the background', () => {
  afterEach(() => closeDatabase());

  it('moves committed pages into the database file from another thread while the writer no longer checkpoints', async () => {
    const path = await freshDatabase();
    checkpointInBackground(3_000); // a slow round, so the writer's own checkpoints would show first
    const before = size(path);
    const t0 = Date.now();
    // About 4 MB of rows: enough WAL pages that the writer would have checkpointed by itself (1,000 pages).
    for (let batch = 0; batch < 20; batch++) {
      await transaction(async (tx) => {
        for (let i = 0; i < 100; i++)
          await tx.insert(schema.rateLimits).values({ key: `k-${batch}-${i}-${'x'.repeat(1500)}`, windowStart: 0, count: 1 });
      });
    }
    // The writer did not copy them into the file itself (it would have, past 1,000 WAL pages)...
    if (Date.now() - t0 < 2_500) expect(size(path)).toBeLessThan(before + 500_000);
    // ...the thread's round does: the database file grows to hold them.
    await waitUntil(() => size(path) > before + 2_000_000, 10_000, 50);
    expect(await firstRow(db().select({ n: count() }).from(schema.rateLimits))).toEqual({ n: 2000 });
  });
});
