// `npm test`: every suite (Vitest unit + integration, Playwright end-to-end in Chromium), then one
// line "N passed, N failed" totalling them all. Exits non-zero if anything failed or did not run.
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

// Vitest: unit and integration.
const vitestJson = join(out, 'vitest.json');
rmSync(vitestJson, { force: true });
const vStatus = run('Vitest (unit + integration)', bin('vitest'), [
  'run',
  '--config',
  'tests/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numTotalTests: number;
    success: boolean;
  };
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  if (v.numTotalTests === 0) notes.push('vitest ran no test');
  if (vStatus !== 0 && v.numFailedTests === 0) {
    failed += 1;
    notes.push(`vitest exited ${vStatus} (a file failed to load or a hook failed)`);
  }
} else {
  failed += 1;
  notes.push('vitest produced no results');
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
