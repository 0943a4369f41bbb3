// SQLite's side of src/server/db.ts (internal to it): the two connections to one WAL file, the
// in-process write lock, transaction() on the writing connection and the group commit of
// groupedTransaction(). See the header of db.ts for why it is built this way.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { dialect } from '../../../db/columns.ts';
import * as schema from '../../../db/schema.ts';
import type { Checkpointer } from '../sqlite-checkpointer.ts';
import { context, openScope, runAfterCommit, type Db, type Tx } from './scope.ts';

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

export interface Handle {
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

export function open(path: string): Handle {
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
 * SQLite's transaction(): BEGIN IMMEDIATE, the body, COMMIT (ROLLBACK when it throws), under the
 * in-process write lock.
 */
export function sqliteTransaction<T>(h: Handle, fn: (tx: Tx) => Promise<T>): Promise<T> {
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

interface GroupedWrite {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}
const GROUP_LIMIT = 256;

/** SQLite's groupedTransaction(): fn joins the next shared transaction. */
export function queueGroupedWrite<T>(h: Handle, fn: (tx: Tx) => Promise<T>): Promise<T> {
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
