// A fresh, migrated SQLite file for a test (real file, real migrations, real drizzle).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, useDatabase } from '../../src/server/db.ts';

/** Switches the process to a new empty database and applies the migrations. */
export function freshDatabase(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'waypost-db-')), 'waypost.db');
  useDatabase(path);
  migrateDatabase();
  return path;
}
