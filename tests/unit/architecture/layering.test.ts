// The folders' layering, kept true: every import in src/server and src/lib goes to a folder of the
// same rank or a lower one. Foundation (0) < vocabulary (1) < concepts (2.x, ordered among
// themselves) < use cases (3) < entry points (4). Written down in README.md ("Layering").
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The rank of each folder (or root file). A folder may import its own rank or lower. */
const RANKS: Record<string, number> = {
  // 0 foundation: pure helpers, the schema, one database client, ids, errors, config, log, clock
  lib: 0,
  i18n: 0,
  db: 0,
  'server/*.ts': 0,
  'server/db': 0, // db.ts's internals (SQLite, PostgreSQL, a transaction's scope)
  'server/i18n': 0,
  // 1 vocabulary: statuses, milestones, estimates, deadlines, carrier links, tracker snapshots
  'server/tracking': 1,
  // 2 concepts, in sub-ranks: each may use the ones listed before it
  'server/security': 2.0,
  'server/ratelimit': 2.0,
  'server/audit': 2.0,
  'server/pagecache': 2.0,
  'server/products': 2.0,
  'server/auth': 2.1,
  'server/carriers': 2.1, // the EasyPost client and its tracker's shape
  'server/shipments': 2.1,
  'server/users': 2.2,
  // One rank, on purpose: a store's settings hold its policies (stores/settings.ts reads their
  // schemas) and a policy version is a snapshot of those settings (policies/ reads them back).
  'server/stores': 2.2,
  'server/policies': 2.2,
  'server/orders': 2.3,
  'server/events': 2.35, // events out: recorded by every writer below the use cases (cases, reviews, changes)
  'server/webhooks': 2.36, // their endpoints and deliveries (Standard Webhooks, Klaviyo)
  'server/cases': 2.4,
  'server/notices': 2.5,
  'server/messages': 2.55, // the message ledger and email: below notifications, which queue into it
  'server/notifications': 2.6,
  'server/returns': 2.7,
  'server/lifecycle': 2.75, // after delivery: follow-ups and replenishment, queued through notifications, held by returns
  'server/reviews': 2.8,
  'server/checkins': 2.85, // "did everything arrive?" after delivery: asks through notifications, opens cases, reads returns
  'server/registrations': 2.85, // product registrations, warranty reminders and claims: over cases and notifications
  'server/queues': 2.9, // the back office's read model over every concept
  'server/order-page': 2.9, // the shopper's order page, read over every concept
  'server/analytics': 2.9, // the merchant's figures, read over every concept, and their daily rollups
  'server/customers': 2.9, // one shopper across every concept: the store's view, their data on request, erasure
  // 3 use cases: one per kind of change, listing every consequence
  'server/changes': 3,
  // 4 entry points: carrier sync (webhooks and polls), jobs, the front server, the demo, start-up
  'server/sync': 4,
  'server/jobs': 4,
  'server/http': 4,
  'server/demo': 4,
  'server/bootstrap.ts': 4,
  'server/start-server.ts': 4,
  emulator: 4,
  pages: 4,
  components: 4,
  cli: 4,
  'middleware.ts': 4,
  'main.ts': 4,
};

/** Imports that go up, each with its reason. A test fails when one is no longer needed. */
const EXCEPTIONS: { from: string; to: string; why: string }[] = [
  {
    from: 'src/server/messages/run-email-sender.ts',
    to: 'src/server/lifecycle/products-for-message.ts',
    why: 'an email is rendered when it is sent: a follow-up names the suggestions as they are then, a replenishment reminder its product (read-only, no cycle)',
  },
];

interface Import {
  from: string;
  to: string;
}

/** The folder key of a repository path: `server/notices`, `server/db.ts` (root files), `lib`, `pages`… */
function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'db') return 'db';
  const [, top, next] = parts; // parts[0] is "src"
  return top === 'server' ? `server/${next}` : top!;
}

/** The rank of a path: its folder's, or for a root file of src/server its own or the foundation's. */
function rankOf(path: string, ranks: Record<string, number>): number | undefined {
  const folder = folderOf(path);
  if (folder in ranks) return ranks[folder];
  if (folder.startsWith('server/') && folder.endsWith('.ts')) return ranks['server/*.ts'];
  return undefined;
}

/** Every import that goes to a higher rank (and is not an exception), and every path of no declared rank. */
function findViolations(imports: Import[], ranks: Record<string, number>, exceptions: { from: string; to: string }[]): string[] {
  const allowed = new Set(exceptions.map((e) => `${e.from} → ${e.to}`));
  const found: string[] = [];
  for (const i of imports) {
    const a = rankOf(i.from, ranks);
    const b = rankOf(i.to, ranks);
    if (a === undefined || b === undefined) {
      found.push(`${i.from} → ${i.to}: no rank declared for ${a === undefined ? folderOf(i.from) : folderOf(i.to)}`);
    } else if (b > a && !allowed.has(`${i.from} → ${i.to}`)) {
      found.push(`${i.from} → ${i.to}: ${folderOf(i.from)} (rank ${a}) imports ${folderOf(i.to)} (rank ${b})`);
    }
  }
  return found;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|tsx|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The relative imports of src/server and src/lib, as repository paths. */
function readImports(): Import[] {
  const out: Import[] = [];
  for (const from of [...sourceFiles('src/server'), ...sourceFiles('src/lib')]) {
    for (const [, spec] of readFileSync(join(ROOT, from), 'utf8').matchAll(SPECIFIER)) {
      if (!spec!.startsWith('.')) continue; // packages and node: built-ins
      out.push({ from, to: relative(ROOT, resolve(ROOT, dirname(from), spec!)) });
    }
  }
  return out;
}

describe('layering', () => {
  const imports = readImports();

  it('reads the imports', () => {
    expect(imports.length).toBeGreaterThan(300);
    expect(imports).toContainEqual({ from: 'src/server/changes/parcel-changed.ts', to: 'src/server/notices/refresh-shipment-alerts.ts' });
  });

  it('no folder imports one above it', () => {
    const found = findViolations(imports, RANKS, EXCEPTIONS);
    expect(found, `imports that go up a layer:\n  ${found.join('\n  ')}\n`).toEqual([]);
  });

  it('every exception is still needed', () => {
    const stale = EXCEPTIONS.filter((e) => !imports.some((i) => i.from === e.from && i.to === e.to));
    expect(stale).toEqual([]);
  });

  it('tracking/ holds only vocabulary: it imports nothing but the foundation and itself', () => {
    const out = imports.filter(
      (i) => i.from.startsWith('src/server/tracking/') && rankOf(i.to, RANKS)! > 0 && !i.to.startsWith('src/server/tracking/'),
    );
    expect(out).toEqual([]);
  });

  describe('the checker itself', () => {
    const fake: Import[] = [
      { from: 'src/server/notices/open-notice.ts', to: 'src/server/tracking/statuses.ts' }, // down: fine
      { from: 'src/server/stores/settings.ts', to: 'src/server/policies/returns-policy.ts' }, // same rank: fine
      { from: 'src/server/tracking/statuses.ts', to: 'src/server/notices/open-notice.ts' }, // up
      { from: 'src/lib/dates.ts', to: 'src/server/db.ts' }, // foundation to foundation: fine
      { from: 'src/server/orders/load-order.ts', to: 'src/server/changes/carrier-news.ts' }, // up
      { from: 'src/server/widgets/make.ts', to: 'src/server/db.ts' }, // an undeclared folder
    ];

    it('names each import that goes up, and each folder of no rank', () => {
      expect(findViolations(fake, RANKS, [])).toEqual([
        'src/server/tracking/statuses.ts → src/server/notices/open-notice.ts: server/tracking (rank 1) imports server/notices (rank 2.5)',
        'src/server/orders/load-order.ts → src/server/changes/carrier-news.ts: server/orders (rank 2.3) imports server/changes (rank 3)',
        'src/server/widgets/make.ts → src/server/db.ts: no rank declared for server/widgets',
      ]);
    });

    it('lets a declared exception through, and only that import', () => {
      const exception = { from: 'src/server/tracking/statuses.ts', to: 'src/server/notices/open-notice.ts' };
      expect(findViolations(fake.slice(0, 3), RANKS, [exception])).toEqual([]);
    });

    it('ranks root files of src/server as foundation unless named', () => {
      expect(rankOf('src/server/db.ts', RANKS)).toBe(0);
      expect(rankOf('src/server/start-server.ts', RANKS)).toBe(4);
    });
  });
});
