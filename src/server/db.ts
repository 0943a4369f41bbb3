// The one database client. Domain code reaches the database only through db() and transaction().
// SQLite (better-sqlite3) is the embedded default; its transactions are synchronous, so a
// transaction body must be short, synchronous and free of network calls (see README, design notes).
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from '../../db/schema.ts';
import { config } from './config.ts';

export type Db = BetterSQLite3Database<typeof schema>;
/** What a transaction body receives: the same query API, bound to the transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

interface Handle {
  path: string;
  sqlite: Database.Database;
  db: Db;
}

// One connection per process even when this module is loaded twice (the front server and
// Astro's bundle each load it), so the handle lives on globalThis.
const g = globalThis as { __waypostDb?: Handle };

function open(path: string): Handle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  return { path, sqlite, db: drizzle({ client: sqlite, schema }) };
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

/** The database client. */
export function db(): Db {
  return handle().db;
}

/**
 * Runs fn as one all-or-nothing write. The body must be synchronous (use .run()/.get()/.all()).
 * IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade.
 */
export async function transaction<T>(fn: (tx: Tx) => T): Promise<T> {
  return handle().db.transaction(fn, { behavior: 'immediate' });
}

interface GroupedWrite {
  fn: (tx: Tx) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}
const GROUP_LIMIT = 256;
const pending: GroupedWrite[] = [];

/**
 * Like transaction(), for small writes that arrive in bursts (carrier webhooks): bodies queued in
 * the same turn of the event loop share one transaction and one commit (group commit), each in its
 * own savepoint, so a body that throws rolls back only itself. Resolves once the shared commit is
 * done; a failed commit rejects every body of the group (nothing of them was written).
 */
export function groupedTransaction<T>(fn: (tx: Tx) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (pending.length === 0) setImmediate(flushGroup);
    pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
  });
}

function flushGroup(): void {
  const group = pending.splice(0, GROUP_LIMIT);
  if (pending.length > 0) setImmediate(flushGroup);
  const { db: d, sqlite } = handle();
  const outcomes: { ok: boolean; value: unknown }[] = [];
  try {
    d.transaction(
      (tx) => {
        for (const w of group) {
          sqlite.prepare('SAVEPOINT grouped_write').run();
          try {
            outcomes.push({ ok: true, value: w.fn(tx) });
            sqlite.prepare('RELEASE grouped_write').run();
          } catch (err) {
            sqlite.prepare('ROLLBACK TO grouped_write').run();
            sqlite.prepare('RELEASE grouped_write').run();
            outcomes.push({ ok: false, value: err });
          }
        }
      },
      { behavior: 'immediate' },
    );
  } catch (err) {
    for (const w of group) w.reject(err);
    return;
  }
  group.forEach((w, i) => (outcomes[i]!.ok ? w.resolve(outcomes[i]!.value) : w.reject(outcomes[i]!.value)));
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** Applies db/migrations (idempotent). */
export function migrateDatabase(): void {
  migrate(handle().db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** Switches the process to another database file (tests, the CLI's --data-dir). */
export function useDatabase(path: string): Db {
  closeDatabase();
  g.__waypostDb = open(path);
  return g.__waypostDb.db;
}

/** Closes the connection; the next db() call opens the configured file again. */
export function closeDatabase(): void {
  g.__waypostDb?.sqlite.close();
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

const preparedByDb = new WeakMap<Db, Map<string, unknown>>();

/**
 * A query built once per database client and reused (drizzle's prepared statements), for the
 * hot paths: a carrier webhook runs a dozen queries, and building each afresh costs more than
 * running it. On SQLite a prepared query runs inside the current (synchronous) transaction; a
 * PostgreSQL port would prepare them on the transaction instead.
 */
export function prepared<T>(name: string, build: (d: Db) => T): T {
  const d = db();
  let byName = preparedByDb.get(d);
  if (!byName) preparedByDb.set(d, (byName = new Map()));
  let q = byName.get(name) as T | undefined;
  if (q === undefined) {
    q = build(d);
    byName.set(name, q);
  }
  return q;
}
