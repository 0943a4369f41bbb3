// Builds the site once before any integration test starts a server from it. On the PostgreSQL leg
// (WAYPOST_TEST_PG_URL) it also migrates the run's template database, and drops the run's
// databases at the end.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../src/server/http/build.ts';
import { createEmptyDatabase, databaseUrl, dropDatabases, pgAdminUrl } from './pg.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  ensureBuilt(root);
  if (!pgAdminUrl()) return undefined;
  const run = `wp_pg_${process.pid}`;
  const template = `${run}_tpl`;
  await dropDatabases(`${run}_`);
  await createEmptyDatabase(template);
  // The real command, in its own process (the schema's dialect is chosen when it is loaded).
  execFileSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'src/cli/main.ts', 'db:migrate'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl(template),
      WAYPOST_SECRET: 'test-migrate-secret-test-migrate-secret-0',
      WAYPOST_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Test workers are started after this, with this environment.
  process.env.WAYPOST_TEST_PG_TEMPLATE = template;
  process.env.DATABASE_URL = databaseUrl(template);
  return () => dropDatabases(`${run}_`);
}
