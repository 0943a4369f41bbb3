// transaction() on PostgreSQL: transactions run side by side on pooled connections, so what
// SQLite's single writer gave for free is had here by lockRow(), by retrying deadlocks, and by
// retrying a body whose connection was cut. Runs on the PostgreSQL leg only.
import { eq, sql } from 'drizzle-orm';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { afterCommit, databaseDialect, db, firstRow, lockRow, schema, transaction } from '../../../src/server/db.ts';
import { createStore } from '../../../src/server/stores/create-store.ts';
import { freshDatabase } from '../../support/database.ts';
import { createEmptyDatabase, databaseUrl, pgAdminUrl } from '../../support/pg.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
const policyVersion = async (id: string) =>
  (await firstRow(db().select({ v: schema.stores.policyVersion }).from(schema.stores).where(eq(schema.stores.id, id))))!.v;

describe.runIf(pgAdminUrl())('transaction on PostgreSQL', () => {
  let a: string;
  let b: string;
  let url: string;
  beforeEach(async () => {
    url = await freshDatabase();
    expect(databaseDialect()).toBe('postgresql');
    a = (await createStore({ slug: 'store-a', name: 'A' })).store.id;
    b = (await createStore({ slug: 'store-b', name: 'B' })).store.id;
  });

  it('lockRow makes read-then-write safe: twenty increments at once all land', async () => {
    const bump = () =>
      transaction(async (tx) => {
        await lockRow(tx, schema.stores, a);
        const row = await firstRow(tx.select().from(schema.stores).where(eq(schema.stores.id, a)));
        await tick(2); // a real wait between the read and the write
        await tx
          .update(schema.stores)
          .set({ policyVersion: row!.policyVersion + 1 })
          .where(eq(schema.stores.id, a));
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect(await policyVersion(a)).toBe(21);
  });

  it('without lockRow the same bodies lose updates (the lock is what makes the difference)', async () => {
    const bump = () =>
      transaction(async (tx) => {
        const row = await firstRow(tx.select().from(schema.stores).where(eq(schema.stores.id, a)));
        await tick(10);
        await tx
          .update(schema.stores)
          .set({ policyVersion: row!.policyVersion + 1 })
          .where(eq(schema.stores.id, a));
      });
    await Promise.all(Array.from({ length: 5 }, bump));
    expect(await policyVersion(a)).toBeLessThan(6);
  });

  it('a deadlock is retried: both bodies commit once each, their hooks run once each', async () => {
    const ran: string[] = [];
    let runs = 0;
    const cross = (first: string, second: string, name: string) =>
      transaction(async (tx) => {
        runs++;
        await lockRow(tx, schema.stores, first);
        await tick(50); // both hold their first lock before either asks for its second
        await lockRow(tx, schema.stores, second);
        await tx
          .update(schema.stores)
          .set({ policyVersion: sql`${schema.stores.policyVersion} + 1` })
          .where(eq(schema.stores.id, first));
        afterCommit(tx, () => ran.push(name));
      });
    await Promise.all([cross(a, b, 'ab'), cross(b, a, 'ba')]);
    expect(runs).toBe(3); // one of them was chosen as the deadlock's victim and ran again
    expect(ran.sort()).toEqual(['ab', 'ba']);
    expect(await policyVersion(a)).toBe(2);
    expect(await policyVersion(b)).toBe(2);
  });

  it('a deadlock reported by COMMIT (a deferred trigger) is retried: the body commits once, its hook runs once', async () => {
    // A deferred constraint trigger that fails as a deadlock victim the first time it runs (the
    // sequence is not rolled back with the transaction), as the ledger's hourly counts can at COMMIT.
    const ddl = new (await import('pg')).default.Client({ connectionString: url });
    await ddl.connect();
    await ddl.query(`
      create sequence commit_deadlock_seq;
      create function commit_deadlock_once() returns trigger language plpgsql as $$
        begin
          if nextval('commit_deadlock_seq') = 1 then raise exception 'deadlock detected' using errcode = '40P01'; end if;
          return null;
        end $$;
      create constraint trigger commit_deadlock_at_commit after update on stores
        deferrable initially deferred for each row execute function commit_deadlock_once();`);
    let runs = 0;
    const hooks: number[] = [];
    await transaction(async (tx) => {
      runs++;
      await tx
        .update(schema.stores)
        .set({ policyVersion: sql`${schema.stores.policyVersion} + 1` })
        .where(eq(schema.stores.id, a));
      afterCommit(tx, () => hooks.push(runs));
    });
    expect(runs).toBe(2); // the first run's COMMIT was refused, the second committed
    expect(hooks).toEqual([2]);
    await ddl.end();
    expect(await policyVersion(a)).toBe(2); // applied once
  });

  it('a body whose connection is cut (pg_terminate_backend) runs again and commits once', async () => {
    let runs = 0;
    await transaction(async (tx) => {
      runs++;
      await tx
        .update(schema.stores)
        .set({ policyVersion: sql`${schema.stores.policyVersion} + 1` })
        .where(eq(schema.stores.id, a));
      if (runs === 1) {
        // Another connection ends this one, as a failover or an administrator would.
        const [pid] = await tx
          .select({ pid: sql<number>`pg_backend_pid()` })
          .from(schema.stores)
          .limit(1);
        const killer = new (await import('pg')).default.Client({ connectionString: pgAdminUrl() });
        await killer.connect();
        await killer.query('select pg_terminate_backend($1)', [pid!.pid]);
        await killer.end();
        await tx.select().from(schema.stores); // fails: the connection is gone
      }
    });
    expect(runs).toBe(2);
    expect(await policyVersion(a)).toBe(2);
  });

  it('migrations run under an advisory lock: two instances migrating one empty database at once both succeed', async () => {
    const name = `wp_pg_${process.pid}_migrate`;
    await createEmptyDatabase(name);
    const migrateOnce = () =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/cli/main.ts', 'db:migrate'],
          {
            cwd: root,
            env: { ...process.env, DATABASE_URL: databaseUrl(name), WAYPOST_LOG_LEVEL: 'warn' },
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        let err = '';
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => resolve({ code, err }));
      });
    const results = await Promise.all([migrateOnce(), migrateOnce()]);
    expect(results).toEqual(results.map(() => ({ code: 0, err: '' })));
    const pg = (await import('pg')).default;
    const check = new pg.Client({ connectionString: databaseUrl(name) });
    await check.connect();
    const applied = await check.query('select count(*)::int as n from drizzle.__drizzle_migrations');
    const tables = await check.query(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
    await check.end();
    // Each migration applied once, not once per instance.
    expect(applied.rows[0].n).toBe(readdirSync(join(root, 'db/migrations-pg')).filter((f) => f.endsWith('.sql')).length);
    expect(tables.rows[0].n).toBeGreaterThan(10);
    const admin = new pg.Client({ connectionString: pgAdminUrl() });
    await admin.connect();
    await admin.query(`drop database "${name}" with (force)`);
    await admin.end();
  }, 180_000);
});
