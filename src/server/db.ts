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
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from '../../db/schema.ts';
import { config } from './config.ts';
import { log } from './log.ts';

export type Db = BetterSQLite3Database<typeof schema>;

/** What a transaction lives on: its after-commit hooks, and whether it is still open. */
interface Scope {
  open: boolean;
  afterCommit: (() => void)[];
  /** The writing connection's client (what prepared statements are built on). */
  connection: Db;
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
  path: string;
  reader: Connection;
  writer: Writer;
  /** The write lock: every writer chains on this promise, so one transaction runs at a time. */
  lockTail: Promise<void>;
  /** Grouped writes waiting for the next shared transaction. */
  pending: GroupedWrite[];
  flushScheduled: boolean;
}

const g = globalThis as { __waypostDb?: Handle; __waypostTxContext?: AsyncLocalStorage<Scope> };
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
  return { path, reader: connect(path, 'reader'), writer, lockTail: Promise.resolve(), pending: [], flushScheduled: false };
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

function handle(): Handle {
  g.__waypostDb ??= open(config().databasePath);
  return g.__waypostDb;
}

/**
 * The database client for reads: committed data, never blocked by a writer. Writes go through
 * transaction() (this connection refuses them).
 */
export function db(): Db {
  return handle().reader.db;
}

/**
 * A number that moves whenever another process (a worker, a second portal) has committed to the
 * database since it was last read, and never for this process's own commits: SQLite's
 * data_version on the writing connection. About a microsecond, so the front server can ask it on
 * every page it answers from memory, and read the change feed only when it moved.
 */
export function othersCommitted(): number {
  return handle().writer.dataVersion.get() as number;
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

function openScope(w: Writer): { scope: Scope; tx: Tx } {
  const scope: Scope = { open: true, afterCommit: [], connection: w.db };
  // The writing connection's client, with this transaction's scope on it (one small object).
  const tx = Object.create(w.db) as Tx & { [SCOPE]: Scope };
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
  const h = handle();
  return withWriteLock(h, async () => {
    const w = h.writer;
    const { scope, tx } = openScope(w);
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
  openScopeOf(tx, 'lockRow()');
  void table;
  void id;
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
  const h = handle();
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
      const { scope, tx } = openScope(w);
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

/** SQLite's plan for a query (EXPLAIN QUERY PLAN), its steps joined by " | ": tests check indexes are used. */
export async function queryPlan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL();
  const steps = handle()
    .reader.sqlite.prepare(`explain query plan ${sql}`)
    .all(...params) as { detail: string }[];
  return steps.map((s) => s.detail).join(' | ');
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Applies db/migrations (idempotent), on the writing connection. */
export function migrateDatabase(): void {
  migrate(handle().writer.db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** Switches the process to another database file (tests, the CLI's --data-dir). */
export function useDatabase(path: string): Db {
  closeDatabase();
  g.__waypostDb = open(path);
  return g.__waypostDb.reader.db;
}

/** Closes both connections; the next db() call opens the configured file again. */
export function closeDatabase(): void {
  const h = g.__waypostDb;
  if (!h) return;
  h.reader.sqlite.close();
  h.writer.sqlite.close();
  g.__waypostDb = undefined;
}

export { schema };

/** True when err is a unique-constraint violation (another writer got there first). */
export function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    String((err as { code: unknown }).code).startsWith('SQLITE_CONSTRAINT_UNIQUE')
  );
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
