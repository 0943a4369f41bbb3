// PostgreSQL's side of src/server/db.ts (internal to it): the reading and writing pools, and
// transaction() on a pooled connection with its retries. See the header of db.ts.
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { dialect } from '../../../db/columns.ts';
import * as schema from '../../../db/schema.ts';
import { config } from '../config.ts';
import { log } from '../log.ts';
import { context, openScope, runAfterCommit, type Db, type Scope, type Tx } from './scope.ts';
import { sqlState } from './sql-state.ts';

export interface PgHandle {
  kind: 'postgresql';
  url: string;
  reader: pg.Pool;
  writer: pg.Pool;
  readDb: Db;
  /** One drizzle client per pooled connection, so prepared() keeps statements per connection. */
  clients: WeakMap<pg.PoolClient, Db>;
}

// bigint columns hold epoch milliseconds and counts: numbers, as on SQLite (drizzle's pg driver
// asks pg's global parsers for everything but dates).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export function openPg(url: string): PgHandle {
  if (dialect !== 'postgresql')
    throw new Error('DATABASE_URL is a PostgreSQL URL but the schema was built for SQLite: set DATABASE_URL before Waypost starts');
  const size = config().databasePoolSize;
  const pool = (role: string) => {
    const p = new pg.Pool({
      connectionString: url,
      max: size,
      application_name: `waypost ${role}`,
      idleTimeoutMillis: 30_000,
      // db() only reads (as SQLite's query_only reader): a write there would bypass transaction().
      ...(role === 'reader' ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle connection cut by the server (a restart, pg_terminate_backend) is dropped by the pool;
    // the next query opens a new one. Without this listener the process would crash.
    p.on('error', (err) => log.warn({ err }, `a ${role} database connection was closed by the server`));
    p.on('connect', countQueriesOf);
    return p;
  };
  const reader = pool('reader');
  return {
    kind: 'postgresql',
    url,
    reader,
    writer: pool('writer'),
    readDb: drizzlePg({ client: reader, schema }) as unknown as Db,
    clients: new WeakMap(),
  };
}

const g = globalThis as { __waypostPgStatements?: { n: number } };

/**
 * Starts counting the statements sent to PostgreSQL (each one round trip: BEGIN and COMMIT
 * included) and returns a function that reads the count since. For tests and the benchmark,
 * which count round trips per use case; not counting, a connection pays one property read per query.
 */
export function countPgStatements(): () => number {
  const counter = (g.__waypostPgStatements = { n: 0 });
  return () => counter.n;
}

function countQueriesOf(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    if (g.__waypostPgStatements) g.__waypostPgStatements.n++;
    return query(...args);
  }) as typeof client.query;
}

const RETRIES = 8;
/** SQLSTATEs after which the whole transaction is run again: nothing of it was committed. */
const RETRYABLE = new Set(['40001', '40P01']);
/** The connection went away (server restart, pg_terminate_backend, network). */
const CONNECTION_LOST = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED']);

function connectionLost(err: unknown): boolean {
  const code = sqlState(err);
  if (code !== undefined && CONNECTION_LOST.has(code)) return true;
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/Connection terminated|connection is closed|Client has encountered a connection error/i.test(e.message)) return true;
  }
  return false;
}

/**
 * PostgreSQL's transaction(): one pooled connection, BEGIN (READ COMMITTED) … COMMIT. A body
 * that fails with a serialization failure or a deadlock, or whose connection is cut before
 * COMMIT is sent, is run again from the start on a fresh scope (its after-commit hooks are those
 * of the run that committed); so is one whose COMMIT answers with a deadlock or serialization
 * failure (deferred triggers run at COMMIT); a cut during COMMIT is not retried (the outcome is unknown).
 */
export async function pgTransaction<T>(h: PgHandle, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient | undefined;
    let committing = false;
    let broken = false;
    let scope: Scope | undefined;
    try {
      client = await h.writer.connect();
      const opened = openScope(clientDb(h, client), client);
      scope = opened.scope;
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      const value = await context.run(scope, fn, opened.tx);
      committing = true;
      await client.query('COMMIT');
      scope.open = false;
      runAfterCommit(scope.afterCommit);
      return value;
    } catch (err) {
      if (scope) scope.open = false;
      if (client && !committing) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
      }
      if (connectionLost(err)) broken = true;
      // A deadlock or serialization failure is the server's answer, so the transaction was rolled
      // back, even when it came from COMMIT (the ledger's deferred hourly counts run there); a
      // connection cut during COMMIT leaves the outcome unknown, so that alone is not run again.
      const again = RETRYABLE.has(sqlState(err) ?? '') || (!committing && connectionLost(err));
      if (!again || attempt >= RETRIES) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    } finally {
      client?.release(broken || undefined);
    }
  }
}

function clientDb(h: PgHandle, client: pg.PoolClient): Db {
  let d = h.clients.get(client);
  if (!d) {
    // A connection cut while checked out is reported on the client: the running query fails (and
    // the transaction is retried); without a listener the event would end the process.
    client.on('error', (err) => log.warn({ err }, 'a database connection was closed during a transaction'));
    h.clients.set(client, (d = drizzlePg({ client, schema }) as unknown as Db));
  }
  return d;
}
