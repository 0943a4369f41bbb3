// Group commit: writes queued together share one commit, yet each stays all or nothing.
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, groupedTransaction, schema } from '../../../src/server/db.ts';
import { freshDatabase } from '../../support/database.ts';

const limitRow = (key: string) => ({ key, windowStart: 0, count: 1 });
const keys = () =>
  db()
    .select({ key: schema.rateLimits.key })
    .from(schema.rateLimits)
    .all()
    .map((r) => r.key)
    .sort();

describe('groupedTransaction', () => {
  let path: string;
  beforeEach(() => {
    path = freshDatabase();
  });

  it('gives each body its own result, and everything is written once they resolve', async () => {
    const results = await Promise.all(
      ['a', 'b', 'c'].map((k) => groupedTransaction((tx) => tx.insert(schema.rateLimits).values(limitRow(k)).run().changes)),
    );
    expect(results).toEqual([1, 1, 1]);
    expect(keys()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the body that throws: its half-done writes go, the others stay', async () => {
    const outcomes = await Promise.allSettled([
      groupedTransaction((tx) => tx.insert(schema.rateLimits).values(limitRow('kept-1')).run()),
      groupedTransaction((tx) => {
        tx.insert(schema.rateLimits).values(limitRow('half-done')).run();
        throw new Error('refused');
      }),
      groupedTransaction((tx) => tx.insert(schema.rateLimits).values(limitRow('kept-2')).run()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toHaveProperty('message', 'refused');
    expect(keys()).toEqual(['kept-1', 'kept-2']);
  });

  it('runs the bodies queued in one turn in one transaction, committed once at the end', async () => {
    // Another connection sees no body's write until the shared commit: the first body's row is
    // still invisible to it while the second body runs.
    const other = new Database(path, { readonly: true });
    const committedRows = () => (other.prepare('select count(*) as n from rate_limits').get() as { n: number }).n;
    try {
      const seen = await Promise.all([
        groupedTransaction((tx) => tx.insert(schema.rateLimits).values(limitRow('first')).run().changes),
        groupedTransaction(() => committedRows()),
      ]);
      expect(seen).toEqual([1, 0]);
      expect(committedRows()).toBe(1);
    } finally {
      other.close();
    }
  });

  it('takes bursts larger than one group, in order', async () => {
    const n = 600;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        groupedTransaction(
          (tx) =>
            tx
              .insert(schema.rateLimits)
              .values(limitRow(`k${i}`))
              .run().changes,
        ),
      ),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(n);
    expect(keys()).toHaveLength(n);
  });
});
