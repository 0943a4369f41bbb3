// The one database client. Domain code reaches the database only through this module: db() reads,
// transaction() (or groupedTransaction()) writes, and the small helpers below keep what differs
// between SQLite and PostgreSQL (how a first row, a count of changed rows, a row lock or a
// prepared statement is had) in this one module. See README, design notes.
//
// SQLite (better-sqlite3) is the embedded default, on two connections to one WAL file: a reading
// connection for db(), which never waits for a writer and sees only committed data, and a writing
// connection on which transaction() runs BEGIN IMMEDIATE … COMMIT itself, one transaction at a
// time in this process (other processes on the same file wait on SQLite's lock, busy_timeout).
// drizzle's own better-sqlite3 transaction would commit at the body's first await, so it is not used.
//
// PostgreSQL (DATABASE_URL=postgres://…, drizzle's node-postgres driver over `pg`) has the same two
// roles as two pools: db() reads on the reading pool; transaction() takes a client of the writing
// pool and runs BEGIN (READ COMMITTED) … COMMIT on it, retrying the whole body on a serialization
// failure, a deadlock or a connection cut before COMMIT. Transactions of one process run side by
// side there, so a read-then-write body locks its parent row first (lockRow(): SELECT … FOR UPDATE).
// groupedTransaction() is plain transaction() (PostgreSQL groups commits across connections itself).
// Migrations run under an advisory lock, so several instances can start at once.
//
// The dialects' internals live under src/server/db/: scope.ts (what a transaction body runs in),
// sqlite.ts (connections, write lock, group commit), postgres.ts (pools, retries).
import { getTableName, sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { fileURLToPath } from 'node:url';
import { dialect } from '../../db/columns.ts';
import * as schema from '../../db/schema.ts';
import { config, isPostgresUrl } from './config.ts';
import { log } from './log.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { openPg, pgTransaction, type PgHandle } from './db/postgres.ts';
import { openScopeOf, refuseNested, SCOPE, type Db, type Tx } from './db/scope.ts';
import { sqlState } from './db/sql-state.ts';
import { open, queueGroupedWrite, sqliteTransaction, type Handle } from './db/sqlite.ts';

export type { Db, Tx } from './db/scope.ts';
export { countPgStatements } from './db/postgres.ts';

const g = globalThis as {
  __waypostDb?: Handle | PgHandle;
  __waypostGroupedWrites?: number;
};

function openTarget(target: string): Handle | PgHandle {
  return isPostgresUrl(target) ? openPg(target) : open(target);
}

function current(): Handle | PgHandle {
  const cfg = config();
  g.__waypostDb ??= openTarget(cfg.databaseUrl ?? cfg.databasePath);
  return g.__waypostDb;
}

/** The dialect of the database in use: 'sqlite' (the embedded default) or 'postgresql'. */
export function databaseDialect(): 'sqlite' | 'postgresql' {
  return current().kind;
}

/**
 * The database client for reads: committed data, never blocked by a writer. Writes go through
 * transaction() (this connection refuses them).
 */
export function db(): Db {
  const h = current();
  return h.kind === 'sqlite' ? h.reader.db : h.readDb;
}

/**
 * A number that moves whenever another process (a worker, a second portal) has committed to the
 * database since it was last read, and never for this process's own commits: SQLite's
 * data_version on the writing connection. About a microsecond, so the front server can ask it on
 * every page it answers from memory, and read the change feed only when it moved. PostgreSQL has no
 * such number: there it moves on every call, so the feed is read before every answer from memory.
 */
let unknownCommits = 0;
export function othersCommitted(): number {
  const h = current();
  return h.kind === 'sqlite' ? (h.writer.dataVersion.get() as number) : ++unknownCommits;
}

/**
 * Runs fn as one all-or-nothing write: BEGIN IMMEDIATE, the body, COMMIT (ROLLBACK when it throws).
 * Writers in this process take turns (one transaction at a time on the writing connection), so a
 * body must stay short and must never wait on the network: every other write of the process
 * waits for it. A transaction() inside a transaction throws (pass tx down instead).
 */
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  refuseNested('transaction()');
  const c = current();
  if (c.kind === 'postgresql') return pgTransaction(c, fn);
  return sqliteTransaction(c, fn);
}

/**
 * Runs fn after the transaction tx belongs to has committed (never after a rollback), in commit
 * order: for what this process does in memory because of a write (dropping cached pages), which
 * must not happen while another request can still read the old data.
 */
export function afterCommit(tx: Tx, fn: () => void): void {
  openScopeOf(tx, 'afterCommit()').afterCommit.push(fn);
}

/**
 * Locks the row with this id for the rest of the transaction, before reading what the
 * transaction's writes depend on (read-then-write). On SQLite it does nothing: BEGIN IMMEDIATE
 * already holds the database's only write lock. On PostgreSQL it is SELECT … FOR UPDATE.
 */
export async function lockRow(tx: Tx, table: SQLiteTable & { id: AnySQLiteColumn }, id: string): Promise<void> {
  const scope = openScopeOf(tx, 'lockRow()');
  if (!scope.pgClient) return;
  await scope.pgClient.query(`SELECT 1 FROM ${quote(getTableName(table))} WHERE ${quote(table.id.name)} = $1 FOR UPDATE`, [id]);
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The database's clock in epoch milliseconds, as an SQL expression. Lease times are set from it
 * and compared with it: every portal and worker shares the database but not a host clock, and a
 * host whose clock ran ahead would take over leases still held, one running behind would keep
 * dead ones alive. PostgreSQL: clock_timestamp() (the moment of the statement; now() would be the
 * transaction's start); SQLite: unixepoch('subsec') (fixed for the length of one statement).
 */
export function dbNowMs(): SQL<number> {
  return dialect === 'postgresql'
    ? sql<number>`floor(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`;
}

/**
 * A claim's SELECT of due rows, made to skip rows another worker's open transaction has locked
 * (PostgreSQL's FOR UPDATE SKIP LOCKED: M workers claim disjoint rows instead of queueing on the
 * same ones). On SQLite, where one writer runs at a time, the query is returned as it is. The
 * claim's UPDATE still re-checks its condition, so correctness never depends on it.
 */
export function skipLocked<Q>(query: Q): Q {
  if (dialect !== 'postgresql') return query;
  return (query as unknown as { for(strength: 'update', config: { skipLocked: boolean }): Q }).for('update', { skipLocked: true });
}

/**
 * A read-then-write body's first read, made to lock the rows it returns from its FROM table
 * (PostgreSQL's FOR UPDATE OF that table: lockRow() and the read in one round trip). On SQLite the
 * query is returned as it is: BEGIN IMMEDIATE already holds the database's only write lock.
 */
export function forUpdate<Q>(query: Q, of: SQLiteTable): Q {
  if (dialect !== 'postgresql') return query;
  return (query as unknown as { for(strength: 'update', config: { of: SQLiteTable }): Q }).for('update', { of });
}

/**
 * How many transactions of one batch job may run side by side: 1 on SQLite (one writer, and
 * transaction() queues the rest anyway), 4 on PostgreSQL, where each runs on a connection of its
 * own and a batch is bound by round trips, not by the database.
 */
export function sideBySideTransactions(): number {
  return current().kind === 'postgresql' ? Math.min(4, config().databasePoolSize) : 1;
}

/**
 * How many grouped writes (carrier webhooks) this process has begun: a number that moves while a
 * burst is being ingested, so work that can wait (the render queue) can make room for it.
 */
export function groupedWritesBegun(): number {
  return g.__waypostGroupedWrites ?? 0;
}

/**
 * Like transaction(), for small writes that arrive in bursts (carrier webhooks): bodies queued in
 * the same turn of the event loop (and while an earlier transaction holds the lock) share one
 * transaction and one commit (group commit), each in its own savepoint, run one after the other,
 * so a body that throws rolls back only itself. Resolves once the shared commit is done; a failed
 * commit rejects every body of the group (nothing of them was written).
 */
export function groupedTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  refuseNested('groupedTransaction()');
  g.__waypostGroupedWrites = (g.__waypostGroupedWrites ?? 0) + 1;
  const c = current();
  // PostgreSQL commits many connections' transactions together itself; savepoints would cost.
  if (c.kind === 'postgresql') return pgTransaction(c, fn);
  return queueGroupedWrite(c, fn);
}

/** The first row of a query's result, or undefined (SQLite's get(); the same on PostgreSQL). */
export async function firstRow<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}

/** How many rows an insert, update or delete changed (SQLite's changes, PostgreSQL's rowCount). */
export function affectedRows(result: { changes: number } | { rowCount: number | null }): number {
  return 'changes' in result ? result.changes : (result.rowCount ?? 0);
}

/**
 * The database's plan for a query, its steps joined by " | ": tests check indexes are used.
 * SQLite: EXPLAIN QUERY PLAN. PostgreSQL: EXPLAIN with sequential scans discouraged (a test
 * table is tiny, so the planner would scan it whatever the indexes).
 */
export async function queryPlan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL();
  const c = current();
  if (c.kind === 'postgresql') {
    const client = await c.reader.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const r = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
      return r.rows.map((row) => row['QUERY PLAN'].trim()).join(' | ');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }
  const steps = c.reader.sqlite.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[];
  return steps.map((s) => s.detail).join(' | ');
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const PG_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations-pg', import.meta.url));
/** The advisory lock key migrations run under (any fixed number; "waypost" in ASCII). */
const MIGRATION_LOCK = 0x77617970_6f7374n;

/**
 * Applies the dialect's migrations (idempotent): db/migrations on SQLite's writing connection;
 * db/migrations-pg on PostgreSQL, under an advisory lock, so instances starting together take
 * turns (the second finds the work done).
 */
export async function migrateDatabase(): Promise<void> {
  const c = current();
  if (c.kind === 'sqlite') {
    migrate(c.writer.db, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const client = await c.writer.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await migratePg(drizzlePg({ client }), { migrationsFolder: PG_MIGRATIONS_FOLDER });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

/** Switches the process to another database: a SQLite file path or a postgres:// URL (tests, the CLI). */
export function useDatabase(target: string): Db {
  void closeDatabase();
  g.__waypostDb = openTarget(target);
  return db();
}

/**
 * For a long-running process on SQLite (the portal, a worker): WAL checkpoints move off the event
 * loop to a thread of their own (sqlite-checkpointer.ts). Nothing to do on PostgreSQL.
 */
export function checkpointInBackground(everyMs = 250): void {
  const h = current();
  if (h.kind !== 'sqlite' || h.checkpointer) return;
  h.checkpointer = startCheckpointer(
    h.path,
    h.writer.sqlite,
    (err) => log.warn({ err }, 'the WAL checkpoint thread failed; the writer checkpoints by itself again'),
    everyMs,
  );
}

/** Closes the connections (PostgreSQL pools end asynchronously: await it to know they have); the next db() call opens the configured database again. */
export async function closeDatabase(): Promise<void> {
  const h = g.__waypostDb;
  if (!h) return;
  g.__waypostDb = undefined;
  if (h.kind === 'sqlite') {
    await h.checkpointer?.stop();
    h.reader.sqlite.close();
    h.writer.sqlite.close();
  } else {
    await Promise.all([h.reader.end(), h.writer.end()]).catch(() => undefined);
  }
}

export { schema };

/** True when err is a unique-constraint violation (another writer got there first). */
export function isUniqueViolation(err: unknown): boolean {
  const code = sqlState(err) ?? '';
  return code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === '23505';
}

const preparedByConnection = new WeakMap<Db, Map<string, unknown>>();

/**
 * A query built once per connection and reused (drizzle's prepared statements), for the hot
 * paths: a carrier webhook runs a dozen queries, and building each afresh costs more than running
 * it. `on` is the transaction's tx (the statement then runs inside that transaction, on its
 * connection) or db() for a read outside any transaction; a PostgreSQL port builds them on the
 * transaction.
 */
export function prepared<T>(on: Db | Tx, name: string, build: (d: Db) => T): T {
  const scope = (on as Partial<Tx>)[SCOPE];
  if (scope && !scope.open) throw new Error(`prepared('${name}') called with the tx of a transaction that has ended`);
  const connection = scope ? scope.connection : on;
  let byName = preparedByConnection.get(connection);
  if (!byName) preparedByConnection.set(connection, (byName = new Map()));
  let q = byName.get(name) as T | undefined;
  if (q === undefined) {
    q = build(connection);
    byName.set(name, q);
  }
  return q;
}
