// The one database client. Domain code reaches the database only through this module: db() reads,
// transaction() (or groupedTransaction()) writes, and the small helpers below keep what differs
// between SQLite and PostgreSQL (how a first row, a count of changed rows, a row lock or a
// prepared statement is had) in this one file. See README, design notes.
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
import Database from 'better-sqlite3';
import { getTableName, sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dialect } from '../../db/columns.ts';
import * as schema from '../../db/schema.ts';
import { config, isPostgresUrl } from './config.ts';
import { log } from './log.ts';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.ts';

export type Db = BetterSQLite3Database<typeof schema>;

/** What a transaction lives on: its after-commit hooks, and whether it is still open. */
interface Scope {
  open: boolean;
  afterCommit: (() => void)[];
  /** The writing connection's client (what prepared statements are built on). */
  connection: Db;
  /** PostgreSQL: the pooled connection the transaction runs on (for lockRow's raw statement). */
  pgClient?: pg.PoolClient;
}

// Symbol.for and globalThis: this module can be loaded twice in one process (Node's copy and
// Astro's bundle), and both copies must share one lock, one queue and one notion of "inside".
const SCOPE: unique symbol = Symbol.for('waypost.transaction.scope');

/**
 * What a transaction body receives: the query API of the writing connection, inside the
 * transaction. Only transaction() and groupedTransaction() make one, so a function that takes a
 * Tx can only be called inside a transaction (and afterCommit()/lockRow() need one).
 */
export type Tx = Db & { readonly [SCOPE]: Scope };

interface Connection {
  sqlite: Database.Database;
  db: Db;
}

interface Writer extends Connection {
  /** Control statements, compiled once. */
  begin: Database.Statement;
  commit: Database.Statement;
  rollback: Database.Statement;
  savepoint: Database.Statement;
  release: Database.Statement;
  rollbackToSavepoint: Database.Statement;
  /** PRAGMA data_version: moves when another connection commits (this connection's own commits do not move it). */
  dataVersion: Database.Statement;
}

interface Handle {
  kind: 'sqlite';
  path: string;
  reader: Connection;
  writer: Writer;
  /** The write lock: every writer chains on this promise, so one transaction runs at a time. */
  lockTail: Promise<void>;
  /** Grouped writes waiting for the next shared transaction. */
  pending: GroupedWrite[];
  flushScheduled: boolean;
  /** WAL checkpoints on a thread of their own (long-running processes: checkpointInBackground()). */
  checkpointer: Checkpointer | null;
}

interface PgHandle {
  kind: 'postgresql';
  url: string;
  reader: pg.Pool;
  writer: pg.Pool;
  readDb: Db;
  /** One drizzle client per pooled connection, so prepared() keeps statements per connection. */
  clients: WeakMap<pg.PoolClient, Db>;
}

const g = globalThis as {
  __waypostDb?: Handle | PgHandle;
  __waypostTxContext?: AsyncLocalStorage<Scope>;
  __waypostGroupedWrites?: number;
};
/** The transaction the current async context runs inside, if any (to refuse a nested one). */
const context = (g.__waypostTxContext ??= new AsyncLocalStorage<Scope>());

function connect(path: string, role: 'reader' | 'writer'): Connection {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Other processes (the worker, a second portal) write the same file: wait for their lock.
  sqlite.pragma('busy_timeout = 5000');
  // A write through db() would take SQLite's write lock outside the in-process queue and could
  // wait (blocking the event loop) for a transaction of this very process: refuse it outright.
  if (role === 'reader') sqlite.pragma('query_only = ON');
  cacheStatements(sqlite);
  return { sqlite, db: drizzle({ client: sqlite, schema }) };
}

function open(path: string): Handle {
  // Two connections need a file: two ":memory:" connections would be two separate databases.
  if (dialect !== 'sqlite') throw new Error(`the schema was built for PostgreSQL (DATABASE_URL), not for the SQLite file ${path}`);
  if (path === ':memory:') throw new Error('Waypost needs a database file (two connections share it), not :memory:');
  mkdirSync(dirname(path), { recursive: true });
  const w = connect(path, 'writer'); // first: it makes the file WAL before the reader opens it
  const writer: Writer = {
    ...w,
    begin: w.sqlite.prepare('BEGIN IMMEDIATE'),
    commit: w.sqlite.prepare('COMMIT'),
    rollback: w.sqlite.prepare('ROLLBACK'),
    savepoint: w.sqlite.prepare('SAVEPOINT grouped_write'),
    release: w.sqlite.prepare('RELEASE grouped_write'),
    rollbackToSavepoint: w.sqlite.prepare('ROLLBACK TO grouped_write'),
    dataVersion: w.sqlite.prepare('PRAGMA data_version').pluck(),
  };
  return {
    kind: 'sqlite',
    path,
    reader: connect(path, 'reader'),
    writer,
    lockTail: Promise.resolve(),
    pending: [],
    flushScheduled: false,
    checkpointer: null,
  };
}

/**
 * drizzle asks better-sqlite3 to compile every query afresh; the same few shapes run thousands of
 * times a second on the webhook path, so compiled statements are kept by their SQL text. A kept
 * statement is reset to object rows before reuse (drizzle switches readers to raw rows per call).
 */
function cacheStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let stmt = kept.get(source);
    if (!stmt) {
      stmt = compile(source);
      if (kept.size >= 1000) kept.clear();
      kept.set(source, stmt);
    } else if (stmt.reader) stmt.raw(false);
    return stmt;
  }) as typeof sqlite.prepare;
}

// bigint columns hold epoch milliseconds and counts: numbers, as on SQLite (drizzle's pg driver
// asks pg's global parsers for everything but dates).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

function openPg(url: string): PgHandle {
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

/** Runs fn once every transaction queued before it has finished (the in-process write lock). */
function withWriteLock<T>(h: Handle, fn: () => Promise<T>): Promise<T> {
  const run = h.lockTail.then(fn);
  h.lockTail = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/**
 * A transaction() inside a transaction would wait for the lock its caller holds, forever: fail
 * loudly instead. (Pass the caller's tx down; a function meant for both takes a Tx.)
 */
function refuseNested(what: string): void {
  if (context.getStore()?.open) throw new Error(`${what} called inside a transaction: pass the transaction's tx down instead`);
}

function openScope(connection: Db, pgClient?: pg.PoolClient): { scope: Scope; tx: Tx } {
  const scope: Scope = { open: true, afterCommit: [], connection, pgClient };
  // The writing connection's client, with this transaction's scope on it (one small object).
  const tx = Object.create(connection) as Tx & { [SCOPE]: Scope };
  tx[SCOPE] = scope;
  // drizzle's own (synchronous) transaction would commit its savepoint at the first await.
  tx.transaction = () => {
    throw new Error('tx.transaction() is not supported: run the writes on tx itself');
  };
  return { scope, tx };
}

function runAfterCommit(hooks: (() => void)[]): void {
  for (const fn of hooks) {
    try {
      fn();
    } catch (err) {
      log.error({ err }, 'an after-commit hook failed (the transaction is committed)');
    }
  }
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
  const h = c;
  return withWriteLock(h, async () => {
    const w = h.writer;
    const { scope, tx } = openScope(w.db);
    w.begin.run();
    let value: T;
    try {
      value = await context.run(scope, fn, tx);
      w.commit.run();
    } catch (err) {
      scope.open = false;
      if (w.sqlite.inTransaction) w.rollback.run();
      throw err;
    }
    scope.open = false;
    runAfterCommit(scope.afterCommit);
    return value;
  });
}

const RETRIES = 8;
/** SQLSTATEs after which the whole transaction is run again: nothing of it was committed. */
const RETRYABLE = new Set(['40001', '40P01']);
/** The connection went away (server restart, pg_terminate_backend, network). */
const CONNECTION_LOST = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED']);

/** The error's code (a SQLSTATE, a SQLITE_… code, a socket's E…), looking through drizzle's wrapping (cause). */
function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ('code' in e && (e as { code: unknown }).code !== undefined) return String((e as { code: unknown }).code);
  }
  return undefined;
}

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
 * of the run that committed); a cut during COMMIT is not retried (the outcome is unknown).
 */
async function pgTransaction<T>(h: PgHandle, fn: (tx: Tx) => Promise<T>): Promise<T> {
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
      const again = !committing && (RETRYABLE.has(sqlState(err) ?? '') || connectionLost(err));
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

/**
 * Runs fn after the transaction tx belongs to has committed (never after a rollback), in commit
 * order: for what this process does in memory because of a write (dropping cached pages), which
 * must not happen while another request can still read the old data.
 */
export function afterCommit(tx: Tx, fn: () => void): void {
  openScopeOf(tx, 'afterCommit()').afterCommit.push(fn);
}

function openScopeOf(tx: Tx, what: string): Scope {
  const scope = (tx as Partial<Tx>)[SCOPE];
  if (!scope) throw new Error(`${what} needs a transaction's tx, not db()`);
  if (!scope.open) throw new Error(`${what} called with the tx of a transaction that has ended`);
  return scope;
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
 * How many grouped writes (carrier webhooks) this process has begun: a number that moves while a
 * burst is being ingested, so work that can wait (the render queue) can make room for it.
 */
export function groupedWritesBegun(): number {
  return g.__waypostGroupedWrites ?? 0;
}

interface GroupedWrite {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}
const GROUP_LIMIT = 256;

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
  const h = c;
  return new Promise<T>((resolve, reject) => {
    h.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
    scheduleFlush(h);
  });
}

function scheduleFlush(h: Handle): void {
  if (h.flushScheduled) return;
  h.flushScheduled = true;
  setImmediate(() => {
    h.flushScheduled = false;
    // The group is taken when the lock is had, so writes arriving meanwhile join it.
    void withWriteLock(h, async () => {
      const group = h.pending.splice(0, GROUP_LIMIT);
      if (h.pending.length > 0) scheduleFlush(h);
      if (group.length > 0) await runGroup(h.writer, group);
    });
  });
}

async function runGroup(w: Writer, group: GroupedWrite[]): Promise<void> {
  const outcomes: { ok: boolean; value: unknown }[] = [];
  const hooks: (() => void)[] = [];
  try {
    w.begin.run();
    for (const item of group) {
      const { scope, tx } = openScope(w.db);
      w.savepoint.run();
      try {
        outcomes.push({ ok: true, value: await context.run(scope, item.fn, tx) });
        w.release.run();
        hooks.push(...scope.afterCommit);
      } catch (err) {
        // Some errors (a full disk) end the whole transaction; then the group cannot go on.
        if (!w.sqlite.inTransaction) throw err;
        w.rollbackToSavepoint.run();
        w.release.run();
        outcomes.push({ ok: false, value: err });
      } finally {
        scope.open = false;
      }
    }
    w.commit.run();
  } catch (err) {
    if (w.sqlite.inTransaction) w.rollback.run();
    for (const item of group) item.reject(err);
    return;
  }
  runAfterCommit(hooks);
  group.forEach((item, i) => (outcomes[i]!.ok ? item.resolve(outcomes[i]!.value) : item.reject(outcomes[i]!.value)));
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

/** Closes the connections (PostgreSQL pools end asynchronously: await it to know they have); the next db() call opens the configured database again. */
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
