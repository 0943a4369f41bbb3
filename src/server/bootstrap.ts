// Makes the database ready once per process (the front server, the command line and the Astro dev
// server all await it): the migrations, then the secrets shared through it (database-secrets.ts).
import { migrateDatabase } from './db.ts';
import { loadSharedSecrets } from './database-secrets.ts';

const g = globalThis as { __waypostReady?: Promise<void> };

/** Applies migrations and loads the shared secrets the first time it is called in this process (later calls wait for that). */
export function ensureDatabase(): Promise<void> {
  g.__waypostReady ??= (async () => {
    await migrateDatabase();
    await loadSharedSecrets();
  })().catch((err: unknown) => {
    g.__waypostReady = undefined;
    throw err;
  });
  return g.__waypostReady;
}
