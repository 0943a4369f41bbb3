// The PostgreSQL test leg: `WAYPOST_TEST_PG_URL=postgres://…/postgres` (an admin connection; `npm
// test` sets it when a server answers at 127.0.0.1:5432) makes Vitest run on PostgreSQL. Global
// setup migrates one template database per run; every test file, every freshDatabase() and every
// test server gets its own database copied from it (CREATE DATABASE … TEMPLATE, fast), and the
// run's databases are dropped at the end. Names start with wp_pg_ and the run's id.
import pg from 'pg';

/** The admin URL of the PostgreSQL leg, or undefined on the SQLite leg. */
export function pgAdminUrl(): string | undefined {
  return process.env.WAYPOST_TEST_PG_URL || undefined;
}

/** The same server's URL for another database. */
export function databaseUrl(name: string): string {
  const url = new URL(pgAdminUrl()!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates an empty database (the template's first step). */
export function createEmptyDatabase(name: string): Promise<void> {
  return admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${ident(name)}`);
  });
}

let made = 0;

/** A new database copied from the run's migrated template; returns its URL. */
export async function databaseFromTemplate(): Promise<string> {
  const template = process.env.WAYPOST_TEST_PG_TEMPLATE;
  if (!template) throw new Error('WAYPOST_TEST_PG_TEMPLATE is not set: the PostgreSQL leg needs the global setup');
  const name = `${template.replace(/_tpl$/, '')}_${process.pid}_${++made}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`));
      return databaseUrl(name);
    } catch (err) {
      // Two CREATE DATABASE … TEMPLATE at once: the template is "being accessed" for a moment.
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

/** Drops every database whose name starts with prefix. */
export function dropDatabases(prefix: string): Promise<void> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
  });
}

const serverDatabases = new Map<string, string>();

/** Remembers which database a test server of this data directory uses, so the command line run against it uses the same. */
export function rememberServerDatabase(dataDir: string, url: string): void {
  serverDatabases.set(dataDir, url);
}

/** The PostgreSQL database of the test server using this data directory (undefined on SQLite). */
export function serverDatabaseOf(dataDir: string): string | undefined {
  return serverDatabases.get(dataDir);
}
