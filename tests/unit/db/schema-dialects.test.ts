// The schema is written once (db/schema.ts over db/columns.ts) and migrated in two dialects. This
// fails when either dialect's migrations lag behind the schema (run `npm run db:generate`) or when
// the two dialects' schemas differ in any table, column, nullability, key or index.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Snapshot {
  pending: string[];
  shape: Record<string, { columns: string[]; indexes: string[]; keys: string[] }>;
}

function snapshot(dialect: 'sqlite' | 'postgresql'): Snapshot {
  const out = execFileSync(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'tests/support/schema-snapshot.ts'],
    { cwd: root, env: { ...process.env, WAYPOST_DB_DIALECT: dialect, DATABASE_URL: '' }, encoding: 'utf8' },
  );
  return JSON.parse(out) as Snapshot;
}

describe('the schema in both dialects', () => {
  const sqlite = snapshot('sqlite');
  const pg = snapshot('postgresql');

  it('has no change that a migration has not captured, in either dialect', () => {
    expect(sqlite.pending, 'db/migrations is behind db/schema.ts: npm run db:generate').toEqual([]);
    expect(pg.pending, 'db/migrations-pg is behind db/schema.ts: npm run db:generate').toEqual([]);
  });

  it('has the same tables, columns, keys and indexes in SQLite and PostgreSQL', () => {
    expect(Object.keys(pg.shape).sort()).toEqual(Object.keys(sqlite.shape).sort());
    for (const table of Object.keys(sqlite.shape)) expect(pg.shape[table], table).toEqual(sqlite.shape[table]);
  });
});
