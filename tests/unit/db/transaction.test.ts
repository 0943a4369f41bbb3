// transaction(): async bodies on the writing connection, one at a time, reads on the other
// connection, after-commit hooks, and the mistakes it refuses loudly.
import { count, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  affectedRows,
  afterCommit,
  databaseDialect,
  db,
  firstRow,
  groupedTransaction,
  lockRow,
  prepared,
  schema,
  transaction,
  type Tx,
} from '../../../src/server/db.ts';
import { freshDatabase } from '../../support/database.ts';

const limitRow = (key: string, count = 1) => ({ key, windowStart: 0, count });
const committed = async () => (await db().select({ n: count() }).from(schema.rateLimits))[0]!.n;
const tick = () => new Promise((r) => setTimeout(r, 5));
// On PostgreSQL transactions run side by side (tests/unit/db/pg-transaction.test.ts covers them).
const onSqlite = () => databaseDialect() === 'sqlite';

describe('transaction', () => {
  beforeEach(async () => {
    await freshDatabase();
  });

  it('keeps its writes from db() until it commits, and returns the body’s value', async () => {
    const value = await transaction(async (tx) => {
      await tx.insert(schema.rateLimits).values(limitRow('a'));
      await tick(); // a real wait inside the body: the transaction stays open across it
      expect(await committed()).toBe(0);
      expect((await tx.select({ n: count() }).from(schema.rateLimits))[0]!.n).toBe(1);
      return 'done';
    });
    expect(value).toBe('done');
    expect(await committed()).toBe(1);
  });

  it('rolls everything back when the body throws, and runs no after-commit hook', async () => {
    const ran: string[] = [];
    await expect(
      transaction(async (tx) => {
        await tx.insert(schema.rateLimits).values(limitRow('a'));
        afterCommit(tx, () => ran.push('a'));
        await tick();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await committed()).toBe(0);
    expect(ran).toEqual([]);
    // The writing connection is usable again.
    await transaction((tx) => tx.insert(schema.rateLimits).values(limitRow('b')));
    expect(await committed()).toBe(1);
  });

  it.runIf(onSqlite())('runs one transaction at a time: a second waits for the first to commit', async () => {
    const steps: string[] = [];
    await Promise.all([
      transaction(async (tx) => {
        steps.push('first begins');
        await tick();
        await tx.insert(schema.rateLimits).values(limitRow('x'));
        steps.push('first ends');
      }),
      transaction(async (tx) => {
        steps.push('second begins');
        // It reads what the first wrote: read-then-write is safe under the lock.
        const row = await firstRow(tx.select().from(schema.rateLimits).where(eq(schema.rateLimits.key, 'x')));
        await tx
          .update(schema.rateLimits)
          .set({ count: row!.count + 1 })
          .where(eq(schema.rateLimits.key, 'x'));
        steps.push('second ends');
      }),
    ]);
    expect(steps).toEqual(['first begins', 'first ends', 'second begins', 'second ends']);
    expect((await firstRow(db().select().from(schema.rateLimits)))!.count).toBe(2);
  });

  it.runIf(onSqlite())('runs after-commit hooks after the commit, in commit order', async () => {
    const ran: string[] = [];
    let seenByHook: Promise<number> | undefined;
    await Promise.all([
      transaction(async (tx) => {
        await tx.insert(schema.rateLimits).values(limitRow('a'));
        afterCommit(tx, () => {
          ran.push('first');
          seenByHook = committed(); // read on the other connection at the hook's moment
        });
        await tick();
        expect(ran).toEqual([]);
      }),
      transaction(async (tx) => {
        afterCommit(tx, () => ran.push('second'));
      }),
    ]);
    expect(ran).toEqual(['first', 'second']);
    expect(await seenByHook).toBe(1);
  });

  it('refuses a transaction inside a transaction instead of waiting forever for its own lock', async () => {
    await expect(transaction(async () => transaction(async () => 1))).rejects.toThrow(/inside a transaction/);
    await expect(transaction(async () => groupedTransaction(async () => 1))).rejects.toThrow(/inside a transaction/);
    await expect(groupedTransaction(async () => transaction(async () => 1))).rejects.toThrow(/inside a transaction/);
    await expect(transaction(async (tx) => tx.transaction(() => 1))).rejects.toThrow(/not supported/);
    // After the body, the same async chain may start another one.
    let later: Promise<number> | undefined;
    await transaction(async (tx) => {
      afterCommit(tx, () => (later = transaction(async () => 2)));
    });
    expect(await later).toBe(2);
  });

  it('refuses writes through db(): they would bypass the lock', async () => {
    const err = await db()
      .insert(schema.rateLimits)
      .values(limitRow('a'))
      .then(
        () => null,
        (e: unknown) => e as Error & { cause?: Error },
      );
    // SQLite: query_only refuses it; PostgreSQL: the reading pool's transactions are read-only.
    expect(`${err?.message} ${err?.cause?.message}`).toMatch(/readonly|read-only|query_only|attempt to write/i);
    expect(await committed()).toBe(0);
  });

  it('runs prepared statements on the transaction’s connection, and refuses an ended transaction’s tx', async () => {
    const insert = (tx: Tx) =>
      prepared(tx, 'test.insertLimit', (d) =>
        d
          .insert(schema.rateLimits)
          .values({ key: sql.placeholder('key'), windowStart: 0, count: 1 })
          .prepare(),
      );
    const countOn = (on: Tx | ReturnType<typeof db>) =>
      prepared(on, 'test.countLimits', (d) => d.select({ n: count() }).from(schema.rateLimits).prepare());
    let kept: Tx | undefined;
    await expect(
      transaction(async (tx) => {
        kept = tx;
        expect(affectedRows(await insert(tx).execute({ key: 'p' }))).toBe(1);
        expect((await countOn(tx).execute())[0]!.n).toBe(1); // inside: sees its own write
        expect((await countOn(db()).execute())[0]!.n).toBe(0); // the reading connection does not
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await committed()).toBe(0); // the prepared insert was rolled back with the transaction
    expect(() => insert(kept!)).toThrow(/transaction that has ended/);
    expect(() => afterCommit(kept!, () => {})).toThrow(/transaction that has ended/);
  });

  it('lockRow needs a transaction and changes nothing on SQLite', async () => {
    await transaction(async (tx) => {
      await tx
        .insert(schema.stores)
        .values({ id: 'st1', slug: 'one', name: 'One', branding: {}, settings: {}, createdAt: 1, updatedAt: 1 });
      await lockRow(tx, schema.stores, 'st1');
    });
    await expect(lockRow(db() as Tx, schema.stores, 'st1')).rejects.toThrow(/needs a transaction/);
    expect(await firstRow(db().select({ id: schema.stores.id }).from(schema.stores))).toEqual({ id: 'st1' });
  });
});
