// The rule that a console.error fails its test, proved by a small Vitest run of its own under the
// setup files of tests/vitest.config.ts: remove the rule from that config and this test fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import config from '../../vitest.config.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Inside the repository (tests/.artifacts is ignored by git), so the run resolves 'vitest' as ours does.
const dir = join(root, 'tests/.artifacts', `console-error-rule-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = `import { expect, it, vi } from 'vitest';
it('logs an error nobody expected', () => {
  console.error('carrier said: %s', 'no such tracker');
});
it('stays quiet', () => {
  expect(1 + 1).toBe(2);
});
it('provokes an error on purpose and asserts it', () => {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  console.error('expected failure');
  expect(spy).toHaveBeenCalledWith('expected failure');
  spy.mockRestore();
});
it('logs from a timer the test waits for', async () => {
  setTimeout(() => console.error('late cleanup error'), 0);
  await new Promise((r) => setTimeout(r, 20));
});
`;

interface Result {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

it('fails a test that logs console.error, with the text, and passes quiet and asserted ones', { timeout: 120_000 }, () => {
  mkdirSync(dir, { recursive: true });
  const setupFiles = [config.test?.setupFiles ?? []].flat().map((f) => join(root, f));
  expect(setupFiles.length).toBeGreaterThan(0);
  writeFileSync(join(dir, 'cases.test.ts'), CASES);
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    `export default { test: { root: ${JSON.stringify(dir)}, include: ['cases.test.ts'], setupFiles: ${JSON.stringify(setupFiles)} } };\n`,
  );
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const out = join(dir, 'result.json');
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      join(dir, 'vitest.config.mjs'),
      '--reporter=json',
      `--outputFile=${out}`,
    ],
    { cwd: dir, env, encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(1);
  const result = JSON.parse(readFileSync(out, 'utf8')) as Result;
  const byTitle = Object.fromEntries(result.testResults.flatMap((f) => f.assertionResults).map((a) => [a.title, a]));
  expect(byTitle['logs an error nobody expected']?.status).toBe('failed');
  expect(byTitle['logs an error nobody expected']?.failureMessages.join('\n')).toContain('carrier said: no such tracker');
  expect(byTitle['stays quiet']?.status).toBe('passed');
  expect(byTitle['provokes an error on purpose and asserts it']?.status).toBe('passed');
  expect(byTitle['logs from a timer the test waits for']?.status).toBe('failed');
  expect(byTitle['logs from a timer the test waits for']?.failureMessages.join('\n')).toContain('late cleanup error');
});
