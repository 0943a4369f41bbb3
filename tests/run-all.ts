// `npm test`: every suite (Vitest unit + integration on SQLite and on PostgreSQL, Playwright end-to-end
// in Chromium), then one line "N passed, N failed" totalling them all. Exits non-zero if anything failed or did not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'tests/.artifacts');
mkdirSync(out, { recursive: true });
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };

let passed = 0;
let failed = 0;
const notes: string[] = [];

function run(label: string, cmd: string, args: string[], extraEnv: Record<string, string> = {}): number | null {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  return r.status;
}

// Vitest: unit and integration, on SQLite; then again on PostgreSQL when one is reachable
// (WAYPOST_TEST_PG_URL, default the local server's postgres database). WAYPOST_TEST_PG=required
// (set by .ci/run) makes an unreachable PostgreSQL a failure instead of a skipped leg.
function vitestLeg(label: string, file: string, extraEnv: Record<string, string> = {}, only: readonly string[] = []): void {
  const vitestJson = join(out, file);
  rmSync(vitestJson, { force: true });
  const vStatus = run(
    label,
    bin('vitest'),
    ['run', '--config', 'tests/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...only],
    extraEnv,
  );
  if (existsSync(vitestJson)) {
    const v = JSON.parse(readFileSync(vitestJson, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numTotalTests: number;
      success: boolean;
    };
    passed += v.numPassedTests;
    failed += v.numFailedTests;
    if (v.numTotalTests === 0) notes.push(`${label}: vitest ran no test`);
    if (vStatus !== 0 && v.numFailedTests === 0) {
      failed += 1;
      notes.push(`${label}: vitest exited ${vStatus} (a file failed to load or a hook failed)`);
    }
  } else {
    failed += 1;
    notes.push(`${label}: vitest produced no results`);
  }
}

vitestLeg('Vitest (unit + integration) on SQLite', 'vitest.json', { WAYPOST_TEST_PG_URL: '', DATABASE_URL: '' });

// The suites that run on PostgreSQL too: every unit test (tests that check a SQLite-only mechanism
// skip themselves there) and the integration tests moved over so far. The rest still read the
// server's SQLite file directly in places, so they run on SQLite only until each file is moved over
// (README, "PostgreSQL"). WAYPOST_TEST_PG_ALL=1 runs every file on PostgreSQL.
const PG_LEG =
  process.env.WAYPOST_TEST_PG_ALL === '1'
    ? []
    : [
        'tests/unit',
        'tests/integration/analytics.test.ts',
        'tests/integration/analytics-messages.test.ts',
        'tests/integration/analytics-after-delivery.test.ts',
        'tests/integration/webhooks-attempts.test.ts',
        'tests/integration/multi-instance.test.ts',
        'tests/integration/email-dkim.test.ts',
        'tests/integration/email-preview.test.ts',
        'tests/integration/email-grouping.test.ts',
        'tests/integration/jobs-registry.test.ts',
        'tests/integration/returns-label.test.ts',
        'tests/integration/trusted-proxies.test.ts',
      ];

const pgUrl = process.env.WAYPOST_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const pgRequired = process.env.WAYPOST_TEST_PG === 'required';
const reach = spawnSync(
  process.execPath,
  [
    '-e',
    'const pg=require("pg");const c=new pg.Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).catch(e=>{console.error(e.message);process.exit(1)})',
    pgUrl,
  ],
  { cwd: root, encoding: 'utf8' },
);
if (reach.status === 0) {
  vitestLeg('Vitest on PostgreSQL', 'vitest-pg.json', { WAYPOST_TEST_PG_URL: pgUrl, DATABASE_URL: pgUrl }, PG_LEG);
} else if (pgRequired) {
  failed += 1;
  notes.push(
    `PostgreSQL is required (WAYPOST_TEST_PG=required) but ${pgUrl.replace(/:[^:@/]*@/, '@')} did not answer: ${reach.stderr.trim()}`,
  );
} else {
  notes.push(`no PostgreSQL at ${pgUrl.replace(/:[^:@/]*@/, '@')}: the PostgreSQL leg did not run`);
}

// Playwright: journeys in Chromium.
const pwJson = join(out, 'playwright.json'); // written by the json reporter (tests/playwright.config.ts)
rmSync(pwJson, { force: true });
const chromium = process.env.WAYPOST_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  failed += 1;
  notes.push(
    `Chromium not found at ${chromium}: install it (apt-get install -y chromium) or set WAYPOST_CHROMIUM; the end-to-end suite did not run`,
  );
} else {
  const pStatus = run('Playwright (end-to-end, Chromium)', bin('playwright'), ['test', '--config', 'tests/playwright.config.ts']);
  if (existsSync(pwJson)) {
    const p = JSON.parse(readFileSync(pwJson, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
    passed += p.stats.expected + p.stats.flaky;
    failed += p.stats.unexpected;
    if (pStatus !== 0 && p.stats.unexpected === 0) {
      failed += 1;
      notes.push(`playwright exited ${pStatus} (global setup or a worker failed)`);
    }
  } else {
    failed += 1;
    notes.push('playwright produced no results');
  }
}

for (const n of notes) console.log(`note: ${n}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
