// Every test file gets its own data directory, database and secret, so files never share a database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { resetConfig } from '../../src/server/config.ts';
import { closeDatabase } from '../../src/server/db.ts';
import { databaseFromTemplate, pgAdminUrl } from './pg.ts';

process.env.WAYPOST_DATA_DIR = mkdtempSync(join(tmpdir(), 'waypost-test-'));
process.env.WAYPOST_SECRET = 'test-secret-test-secret-test-secret-0123';
process.env.WAYPOST_PUBLIC_URL = 'https://track.example.test';
process.env.WAYPOST_LOG_LEVEL = 'silent';
// On the PostgreSQL leg the file's own database, copied from the run's migrated template.
if (pgAdminUrl()) process.env.DATABASE_URL = await databaseFromTemplate();
else delete process.env.DATABASE_URL;
resetConfig();

afterAll(() => closeDatabase());
