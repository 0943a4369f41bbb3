// A fresh, migrated database for a test (real file or real PostgreSQL database, real migrations,
// real drizzle): a new SQLite file, or on the PostgreSQL leg a copy of the run's migrated template.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, useDatabase } from '../../src/server/db.ts';
import { loadSharedSecrets } from '../../src/server/database-secrets.ts';
import { databaseFromTemplate, pgAdminUrl } from './pg.ts';

/** Switches the process to a new empty database with the migrations applied; returns its path or URL. */
export async function freshDatabase(): Promise<string> {
  const target = await newDatabase();
  useDatabase(target);
  if (!pgAdminUrl()) await migrateDatabase();
  await loadSharedSecrets(); // what ensureDatabase() does at start-up (PostgreSQL: the shared VAPID keys)
  return target;
}

/** A new database for a server or another process: an empty SQLite file's path (the server migrates it) or a migrated PostgreSQL database's URL. */
async function newDatabase(): Promise<string> {
  if (pgAdminUrl()) return databaseFromTemplate();
  return join(mkdtempSync(join(tmpdir(), 'waypost-db-')), 'waypost.db');
}
