// Run as a child process with WAYPOST_DB_DIALECT set (the schema's dialect is chosen when it is
// loaded): prints, as JSON, the statements a new migration of that dialect would need (none when its
// migrations folder is up to date with db/schema.ts) and the schema's shape (tables, columns,
// keys, indexes) without column types, to compare across dialects.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDrizzleJson, generateMigration, generateSQLiteDrizzleJson, generateSQLiteMigration } from 'drizzle-kit/api';
import * as schema from '../../db/schema.ts';

const dialect = process.env.WAYPOST_DB_DIALECT === 'postgresql' ? 'postgresql' : 'sqlite';
const folder = fileURLToPath(new URL(dialect === 'postgresql' ? '../../db/migrations-pg/' : '../../db/migrations/', import.meta.url));
const journal = JSON.parse(readFileSync(`${folder}meta/_journal.json`, 'utf8')) as { entries: { idx: number }[] };
const last = journal.entries.at(-1)!.idx;
const previous = JSON.parse(readFileSync(`${folder}meta/${String(last).padStart(4, '0')}_snapshot.json`, 'utf8'));

interface Table {
  columns: Record<string, { notNull: boolean; primaryKey?: boolean }>;
  indexes: Record<string, { columns: unknown[]; isUnique: boolean; where?: string }>;
  compositePrimaryKeys?: Record<string, unknown>;
  /** PostgreSQL keeps a column's UNIQUE as a constraint; SQLite as a unique index of the same name. */
  uniqueConstraints?: Record<string, { name: string; columns: string[] }>;
}

const current = dialect === 'postgresql' ? generateDrizzleJson(schema) : await generateSQLiteDrizzleJson(schema);
const pending =
  dialect === 'postgresql'
    ? await generateMigration(previous, current as never)
    : await generateSQLiteMigration(previous, current as never);

const tables = current.tables as Record<string, Table>;
const shape = Object.fromEntries(
  Object.values(tables).map((t) => {
    const name = (t as unknown as { name: string }).name;
    const columns = Object.values(t.columns).map((c) => {
      const col = c as unknown as { name: string; notNull: boolean; primaryKey?: boolean };
      return `${col.name}${col.notNull ? ' not null' : ''}${col.primaryKey ? ' primary key' : ''}`;
    });
    const indexes = Object.values(t.indexes).map((i) => {
      const ix = i as unknown as { name: string; isUnique: boolean; columns: (string | { expression: string })[]; where?: string };
      const cols = ix.columns.map((c) => (typeof c === 'string' ? c : c.expression)).join(',');
      return `${ix.name}${ix.isUnique ? ' unique' : ''} (${cols})${ix.where ? ` where ${ix.where.replace(/"/g, '')}` : ''}`;
    });
    for (const u of Object.values(t.uniqueConstraints ?? {})) indexes.push(`${u.name} unique (${u.columns.join(',')})`);
    const keys = Object.values(t.compositePrimaryKeys ?? {}).map((k) => {
      const key = k as { columns: string[] } | string;
      return typeof key === 'string' ? key.split(';')[0] : key.columns.join(',');
    });
    return [name, { columns: columns.sort(), indexes: indexes.sort(), keys }];
  }),
);
console.log(JSON.stringify({ pending, shape }));
