// Makes the database ready once per process, for entry points that do not start the front server
// (the Astro dev server).
import { migrateDatabase } from './db.ts';

const g = globalThis as { __waypostReady?: Promise<void> };

/** Applies migrations the first time it is called in this process (later calls wait for that). */
export function ensureDatabase(): Promise<void> {
  g.__waypostReady ??= migrateDatabase().catch((err: unknown) => {
    g.__waypostReady = undefined;
    throw err;
  });
  return g.__waypostReady;
}
