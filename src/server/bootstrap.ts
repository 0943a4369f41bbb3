// Makes the database ready once per process, for entry points that do not start the front server
// (the Astro dev server).
import { migrateDatabase } from './db.ts';

const g = globalThis as { __waypostReady?: boolean };

/** Applies migrations the first time it is called in this process. */
export function ensureDatabase(): void {
  if (g.__waypostReady) return;
  migrateDatabase();
  g.__waypostReady = true;
}
