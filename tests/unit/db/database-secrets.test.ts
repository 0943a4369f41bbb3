// Secrets kept in the database for every instance alike: generated once, whoever starts first,
// and read back the same by all. On PostgreSQL two processes started together on one database
// sign web push with the same VAPID key pair, with no key in the environment and no file copied.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { db, schema, transaction } from '../../../src/server/db.ts';
import { sharedSecret } from '../../../src/server/database-secrets.ts';
import { freshDatabase } from '../../support/database.ts';
import { pgAdminUrl } from '../../support/pg.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let target: string;

beforeEach(async () => {
  target = await freshDatabase();
});

describe('sharedSecret', () => {
  it('keeps the first value generated, however many ask at once, and never generates again', async () => {
    let made = 0;
    const generate = () => ({ n: ++made, key: `k${made}` });
    const got = await Promise.all(Array.from({ length: 6 }, () => sharedSecret('test', generate)));
    expect(new Set(got.map((g) => JSON.stringify(g))).size).toBe(1);
    const rows = await db().select().from(schema.sharedSecrets).where(eq(schema.sharedSecrets.name, 'test'));
    expect(rows.map((r) => [r.name, JSON.parse(r.value)])).toEqual([['test', got[0]]]);
    expect(await sharedSecret('test', () => ({ n: -1, key: 'late' }))).toEqual(got[0]);
    expect(await sharedSecret('other', () => 'another')).toBe('another');
  });
});

/** One instance's start-up in its own process: ensureDatabase(), then the VAPID keys it would sign with. */
async function instanceKeys(databaseUrl: string): Promise<{ publicKey: string; privateKey: string }> {
  const script = `
    const { ensureDatabase } = await import(${JSON.stringify(join(root, 'src/server/bootstrap.ts'))});
    const { pushConfig } = await import(${JSON.stringify(join(root, 'src/server/notifications/push-config.ts'))});
    const { closeDatabase } = await import(${JSON.stringify(join(root, 'src/server/db.ts'))});
    await ensureDatabase();
    const { publicKey, privateKey } = pushConfig().vapid;
    await closeDatabase();
    console.log(JSON.stringify({ publicKey, privateKey }));`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    // Each instance its own data directory: nothing shared but the database.
    WAYPOST_DATA_DIR: mkdtempSync(join(tmpdir(), 'waypost-instance-')),
    WAYPOST_SECRET: 'shared-secret-shared-secret-shared-01',
    WAYPOST_LOG_LEVEL: 'silent',
  };
  delete env.VAPID_PUBLIC_KEY;
  delete env.VAPID_PRIVATE_KEY;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script],
    { cwd: root, env },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as { publicKey: string; privateKey: string };
}

describe.skipIf(!pgAdminUrl())('VAPID keys on PostgreSQL', () => {
  it('two instances starting together on one database sign with the same pair, kept in the database', async () => {
    // A database no instance has started on yet (the test's own set-up loaded a pair: forget it).
    await transaction(async (tx) => {
      await tx.delete(schema.sharedSecrets);
    });
    const [a, b] = await Promise.all([instanceKeys(target), instanceKeys(target)]);
    expect(a.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(b).toEqual(a);
    // A third, later, finds the same pair.
    expect(await instanceKeys(target)).toEqual(a);
    const rows = await db().select().from(schema.sharedSecrets);
    expect(rows.map((r) => [r.name, JSON.parse(r.value)])).toEqual([['vapid', a]]);
  });
});
