// src/launch.mjs under this (recent) Node: it runs a .ts entry point or a tool, passes arguments,
// exit codes and termination signals through. (Installing Node 24 on an older Node and building
// better-sqlite3 are what `npm start` on such a machine shows; they are not repeated here.)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const launcher = join(root, 'src/launch.mjs');
const dir = join(root, 'tests/.artifacts', `launch-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A TypeScript entry point for the launcher to run; type annotations prove the stripping. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

it('runs a .ts file under type stripping with its arguments, and exits with its code', () => {
  const file = script('echo.ts', `const args: string[] = process.argv.slice(2);\nconsole.log(JSON.stringify(args));\nprocess.exit(3);\n`);
  const r = spawnSync(process.execPath, [launcher, file, '--flag', 'two words'], { cwd: root, encoding: 'utf8' });
  expect(r.stdout.trim()).toBe('["--flag","two words"]');
  expect(r.stderr).not.toMatch(/ExperimentalWarning/);
  expect(r.status).toBe(3);
});

it('runs a tool from node_modules/.bin under the same Node', () => {
  const r = spawnSync(process.execPath, [launcher, 'tsc', '--version'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: '/nonexistent' },
  });
  expect(r.stdout).toMatch(/^Version \d+\.\d+/);
  expect(r.status).toBe(0);
});

it('passes SIGTERM on to the command and exits as it does', async () => {
  const file = script(
    'wait.ts',
    `const timer: NodeJS.Timeout = setInterval(() => {}, 1000);\nprocess.once('SIGTERM', () => {\n  console.log('stopping');\n  clearInterval(timer);\n  process.exitCode = 7;\n});\nconsole.log('ready');\n`,
  );
  const child = spawn(process.execPath, [launcher, file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready')) resolve();
    }),
  );
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  expect(out).toContain('stopping');
  expect(code).toBe(7);
});

it('answers no command with its usage and exit code 2', () => {
  const r = spawnSync(process.execPath, [launcher], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toMatch(/^usage: node src\/launch\.mjs/);
  expect(r.status).toBe(2);
});
