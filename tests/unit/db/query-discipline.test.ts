// The data layer's rules, checked on the sources with the TypeScript checker (so that Map.get,
// searchParams.get, headers.get or formData.get never count): no synchronous SQLite call
// (.get() .all() .run() .values()) and no better-sqlite3 result field (.changes,
// .lastInsertRowid) outside src/server/db.ts, no promise left floating, no async callback given to
// forEach (or to map without Promise.all). The test suite will run on PostgreSQL too.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findViolations, type Violation } from '../../support/query-discipline.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Files that open a SQLite file with better-sqlite3 themselves, and why. */
const RAW_SQLITE_ALLOWED = {
  'tests/bench/delay-scan.ts': 'bulk-loads a million rows into the benchmark’s own file',
  'tests/bench/push.ts': 'bulk-loads orders and devices into the benchmark’s own file',
  'tests/bench/analytics.ts': 'bulk-loads a year of a million delivered parcels into the benchmark’s own file',
};

// Deliberate mistakes, checked as if this file were in the repository.
const FIXTURE = 'tests/unit/db/discipline-fixture.ts';
const FIXTURE_SOURCE = `
import { eq } from 'drizzle-orm';
import { db, prepared, schema, transaction } from '../../../src/server/db.ts';

export async function mistakes(url: URL, headers: Headers, form: FormData, seen: Map<string, number>) {
  const one = db().select().from(schema.stores).where(eq(schema.stores.id, 'x')).get();
  const all = db().select().from(schema.stores).all();
  const raw = db().select().from(schema.stores).values();
  const q = prepared(db(), 'fixture.byId', (d) => d.select().from(schema.stores).prepare());
  const viaPrepared = q.all();
  await transaction(async (tx) => {
    const changed = tx.delete(schema.stores).run().changes;
    const { lastInsertRowid } = tx.insert(schema.stores).values({ id: 'a', slug: 'a', name: 'A', branding: {}, settings: {}, createdAt: 0, updatedAt: 0 }).run();
    void changed;
    void lastInsertRowid;
  });
  transaction(async () => 1);
  [1, 2].forEach(async () => {});
  [1, 2].map(async (n) => n);
  // Not queries: these must not count.
  const fine = [url.searchParams.get('a'), headers.get('b'), form.get('c'), seen.get('d'), [...seen.values()], await Promise.all([1, 2].map(async (n) => n))];
  void transaction(async () => 2);
  return { one, all, raw, viaPrepared, fine };
}
`;

let found: Violation[];
beforeAll(() => {
  found = findViolations(root, {
    dirs: ['src', 'tests'],
    rawSqliteAllowed: RAW_SQLITE_ALLOWED,
    virtualFiles: { [FIXTURE]: FIXTURE_SOURCE },
  });
}, 120_000);

describe('query discipline', () => {
  it('finds every deliberate mistake, and nothing else, in the fixture', () => {
    const inFixture = found.filter((v) => v.file === FIXTURE).map((v) => `${v.rule}: ${v.text.split('(')[0]}`);
    expect(inFixture.sort()).toEqual(
      [
        'sync-query: db',
        'sync-query: db',
        'sync-query: db',
        'sync-query: q.all',
        'sync-query: tx.delete',
        'sqlite-result: tx.delete',
        'sync-query: tx.insert',
        'sqlite-result: lastInsertRowid',
        'floating-promise: transaction',
        'async-callback: [1, 2].forEach',
        'async-callback: [1, 2].map',
      ].sort(),
    );
  });

  it('finds none in the repository', () => {
    expect(found.filter((v) => v.file !== FIXTURE).map((v) => `${v.file}:${v.line} ${v.rule} ${v.text}`)).toEqual([]);
  });

  it('every file allowed raw SQLite says why in a comment', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of Object.keys(RAW_SQLITE_ALLOWED)) {
      expect(readFileSync(`${root}/${file}`, 'utf8'), file).toMatch(/(\/\/|^\s*\*).*(directly|connection of its own|raw SQLite)/m);
    }
  });
});
