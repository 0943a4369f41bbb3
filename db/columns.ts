// The schema is written once, over these builders, and becomes SQLite or PostgreSQL tables by the
// database in use: `DATABASE_URL=postgres://…` (or `WAYPOST_DB_DIALECT=postgresql`, as drizzle-kit's
// PostgreSQL config sets it) makes PostgreSQL tables, anything else SQLite ones. Code is typed
// against the SQLite flavour; the PostgreSQL one has the same tables, columns and indexes, with
// these column types:
//
//   integer(…)                      SQLite INTEGER        PostgreSQL bigint (times are epoch milliseconds)
//   integer(…, { mode: 'boolean' }) SQLite INTEGER 0/1    PostgreSQL boolean
//   text(…)                         SQLite TEXT           PostgreSQL text
//   text(…, { mode: 'json' })       SQLite TEXT (JSON)    PostgreSQL jsonb
//   blob(…, { mode: 'buffer' })     SQLite BLOB           PostgreSQL bytea
//   autoIncrementKey(…)             SQLite INTEGER PRIMARY KEY AUTOINCREMENT   PostgreSQL bigint identity
//
// tests/unit/db/schema-dialects.test.ts checks that both dialects' migrations are up to date with
// this schema and that the two have the same tables, columns, keys and indexes.
import * as pg from 'drizzle-orm/pg-core';
import * as sqlite from 'drizzle-orm/sqlite-core';

type Dialect = 'sqlite' | 'postgresql';

/** The dialect the schema is built for in this process, from its environment. */
function schemaDialect(env: NodeJS.ProcessEnv = process.env): Dialect {
  if (env.WAYPOST_DB_DIALECT === 'postgresql' || env.WAYPOST_DB_DIALECT === 'sqlite') return env.WAYPOST_DB_DIALECT;
  return /^postgres(ql)?:\/\//i.test(env.DATABASE_URL ?? '') ? 'postgresql' : 'sqlite';
}

/** The dialect this process's schema is built for (db.ts refuses a database of the other one). */
export const dialect: Dialect = schemaDialect();
const isPg = dialect === 'postgresql';

const bytea = pg.customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

function pgInteger(name: string, config?: { mode?: string }) {
  if (config?.mode === 'boolean') return pg.boolean(name);
  if (config?.mode !== undefined && config.mode !== 'number') throw new Error(`integer mode ${config.mode} has no PostgreSQL column here`);
  return pg.bigint(name, { mode: 'number' });
}

function pgText(name: string, config?: { mode?: string; enum?: readonly [string, ...string[]] }) {
  if (config?.mode === 'json') return pg.jsonb(name);
  return config?.enum ? pg.text(name, { enum: config.enum as [string, ...string[]] }) : pg.text(name);
}

/** A table (SQLite's `sqliteTable` or PostgreSQL's `pgTable`). */
export const table = (isPg ? pg.pgTable : sqlite.sqliteTable) as unknown as typeof sqlite.sqliteTable;
export const integer = (isPg ? pgInteger : sqlite.integer) as unknown as typeof sqlite.integer;
export const text = (isPg ? pgText : sqlite.text) as unknown as typeof sqlite.text;
export const blob = (isPg ? (name: string) => bytea(name) : sqlite.blob) as unknown as typeof sqlite.blob;
export const index = (isPg ? pg.index : sqlite.index) as unknown as typeof sqlite.index;
export const uniqueIndex = (isPg ? pg.uniqueIndex : sqlite.uniqueIndex) as unknown as typeof sqlite.uniqueIndex;
export const primaryKey = (isPg ? pg.primaryKey : sqlite.primaryKey) as unknown as typeof sqlite.primaryKey;

/** A key numbered by the database in insert order (a change feed's sequence). */
export function autoIncrementKey(name: string) {
  if (isPg)
    return pg.bigint(name, { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity() as unknown as ReturnType<typeof sqliteKey>;
  return sqliteKey(name);
}
const sqliteKey = (name: string) => sqlite.integer(name).primaryKey({ autoIncrement: true });
