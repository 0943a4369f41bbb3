// Group commit: writes queued together share one commit, yet each stays all or nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { affectedRows, afterCommit, databaseDialect, db, groupedTransaction, schema } from '../../../src/server/db.ts';
import { freshDatabase } from '../../support/database.ts';

const limitRow = (key: string) => ({ key, windowStart: 0, count: 1 });
/** Rows committed, read on the reading connection (db()). */
const committedRows = async () => (await db().select({ n: count() }).from(schema.rateLimits))[0]!.n;
const keys = async () => (await db().select({ key: schema.rateLimits.key }).from(schema.rateLimits)).map((r) => r.key).sort();

// Sharing one commit is SQLite's (on PostgreSQL groupedTransaction() is transaction(): the tests of
// what each body gets still hold, those of the shared commit are SQLite's only).
const groups = () => databaseDialect() === 'sqlite';

describe('groupedTransaction', () => {
  beforeEach(async () => {
    await freshDatabase();
  });

  it('gives each body its own result, and everything is written once they resolve', async () => {
    const results = await Promise.all(
      ['a', 'b', 'c'].map((k) => groupedTransaction(async (tx) => affectedRows(await tx.insert(schema.rateLimits).values(limitRow(k))))),
    );
    expect(results).toEqual([1, 1, 1]);
    expect(await keys()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the body that throws: its half-done writes go, the others stay', async () => {
    const outcomes = await Promise.allSettled([
      groupedTransaction((tx) => tx.insert(schema.rateLimits).values(limitRow('kept-1'))),
      groupedTransaction(async (tx) => {
        await tx.insert(schema.rateLimits).values(limitRow('half-done'));
        throw new Error('refused');
      }),
      groupedTransaction((tx) => tx.insert(schema.rateLimits).values(limitRow('kept-2'))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toHaveProperty('message', 'refused');
    expect(await keys()).toEqual(['kept-1', 'kept-2']);
  });

  it.runIf(groups())('runs the bodies queued in one turn in one transaction, committed once at the end', async () => {
    // db() reads on the other connection: it sees no body's write until the shared commit, so the
    // first body's row is still invisible while the second body runs.
    const seen = await Promise.all([
      groupedTransaction(async (tx) => affectedRows(await tx.insert(schema.rateLimits).values(limitRow('first')))),
      groupedTransaction(() => committedRows()),
      groupedTransaction(async (tx) => (await tx.select({ n: count() }).from(schema.rateLimits))[0]!.n),
    ]);
    expect(seen).toEqual([1, 0, 1]); // the third body, inside the transaction, sees the first one's row
    expect(await committedRows()).toBe(1);
  });

  it.runIf(groups())('runs after-commit hooks once the group has committed, and not those of a body rolled back', async () => {
    const ran: string[] = [];
    let seenByHook: Promise<number> | undefined;
    const outcomes = await Promise.allSettled([
      groupedTransaction(async (tx) => {
        await tx.insert(schema.rateLimits).values(limitRow('one'));
        afterCommit(tx, () => {
          ran.push('one');
          seenByHook = committedRows(); // read on the other connection, at the hook's moment
        });
      }),
      groupedTransaction(async (tx) => {
        afterCommit(tx, () => ran.push('refused'));
        throw new Error('refused');
      }),
      groupedTransaction(async (tx) => {
        afterCommit(tx, () => ran.push('three'));
        expect(ran).toEqual([]); // nothing runs before the commit
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(ran).toEqual(['one', 'three']);
    expect(await seenByHook).toBe(1);
  });

  it('takes bursts larger than one group, in order', async () => {
    const n = 600;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        groupedTransaction(async (tx) => affectedRows(await tx.insert(schema.rateLimits).values(limitRow(`k${i}`)))),
      ),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(n);
    expect(await keys()).toHaveLength(n);
  });
});
