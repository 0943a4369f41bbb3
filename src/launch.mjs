// Runs one of the project's commands under a Node that can run it; every npm script goes through here.
//   node src/launch.mjs src/main.ts [args]   a TypeScript entry point, under Node's type stripping
//   node src/launch.mjs astro build          a tool from node_modules/.bin
// Plain JavaScript that any Node from 18 runs. On Node >= 22.12 it runs the command. On an older Node
// it installs Node 24 from the npm registry into .tools/node24 once (the same way .ci/run does) and
// runs the command under that. Before running, it makes sure better-sqlite3's native module loads in
// the Node that will use it, and builds it for that Node if not (a module built for another Node
// does not load).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [target, ...args] = process.argv.slice(2);
const windows = process.platform === 'win32';

if (!target) fail('usage: node src/launch.mjs <file.ts | tool from node_modules/.bin> [arguments]', 2);

// Node 22.12 for Astro and type stripping; Node-API 10 (Node 22.14) for better-sqlite3's native module.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const tooOld = major < 22 || (major === 22 && minor < 12) || Number(process.versions.napi) < 10;
const node = tooOld ? nodeFromRegistry() : process.execPath;
const env = {
  // This Node first, so tools' `#!/usr/bin/env node` and the command's own children run under it too.
  PATH: [dirname(node), join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
  ...(tooOld ? { npm_config_nodedir: dirname(dirname(node)) } : {}), // its headers, for node-gyp
};
loadNativeModules(node, env);
if (target.endsWith('.ts')) run(node, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', target, ...args], env);
else run(target, args, env);

/** Node 24 for this platform from the npm registry (package node-<platform>-<arch>), installed once. */
function nodeFromRegistry() {
  const pkg = `node-${windows ? 'win' : process.platform}-${process.arch}`;
  const prefix = join(root, '.tools', 'node24');
  const node = join(prefix, 'node_modules', pkg, 'bin', windows ? 'node.exe' : 'node');
  if (existsSync(node)) return node;
  console.error(
    `Waypost needs a newer Node than ${process.version}: installing Node 24 (${pkg}@24) from the npm registry into .tools/node24, once.`,
  );
  const r = npm(process.execPath, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@24`], {});
  if (r.status !== 0 || !existsSync(node)) {
    fail(
      `${r.output}\nCould not install ${pkg}@24 from the npm registry (npm's message is above; the registry may have no Node 24 build for ` +
        `${process.platform}-${process.arch}). Install Node 24 (https://nodejs.org) and run this again.`,
    );
  }
  return node;
}

/** Makes sure better-sqlite3 loads in that Node, building it from source for that Node if it does not. */
function loadNativeModules(node, env) {
  const error = sqliteLoadError(node);
  if (!error) return;
  if (/Cannot find module 'better-sqlite3'/.test(error)) fail('The dependencies are not installed: run npm install first.');
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.error(`better-sqlite3 does not load in Node ${version} (${error}): building it from source for this Node, once (a few minutes).`);
  // node-gyp needs that Node's headers: a Node from the npm registry or from nodejs.org carries them
  // beside bin/; without them node-gyp would download them (or use a configured nodedir).
  const home = dirname(dirname(node));
  const headers = existsSync(join(home, 'include', 'node', 'node.h')) ? { npm_config_nodedir: home } : {};
  // From source with the package's own build script: `npm rebuild` does nothing for it (its
  // package.json says "gypfile": false), and package.json's allowScripts skips it on install, since
  // it ships prebuilt binaries.
  const r = npm(node, ['run', 'build-release', '--prefix', join(root, 'node_modules', 'better-sqlite3'), '--loglevel=error'], {
    ...env,
    ...headers,
  });
  if (r.status !== 0) fail(`${r.output}\nBuilding better-sqlite3 for Node ${version} failed (the build's output is above).`);
  const still = sqliteLoadError(node);
  if (still) fail(`better-sqlite3 built for Node ${version} still does not load: ${still}`);
}

/** Why better-sqlite3 does not load and open a database in that Node (first line), or null. */
function sqliteLoadError(node) {
  if (node === process.execPath) {
    try {
      const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
      new Database(':memory:').close();
      return null;
    } catch (err) {
      return String(err.message).split('\n')[0];
    }
  }
  const check =
    "try { new (require('better-sqlite3'))(':memory:').close() } catch (e) { console.error(e.message.split('\\n')[0]); process.exit(1) }";
  const r = spawnSync(node, ['-e', check], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? null : r.stderr.trim() || `exit ${r.status}`;
}

/** Runs npm (the one that started this script, if npm did) under that Node and waits; its output is kept, not shown. */
function npm(node, npmArgs, env) {
  const cli = process.env.npm_execpath;
  const [cmd, cmdArgs] = cli && /\.[cm]?js$/.test(cli) ? [node, [cli, ...npmArgs]] : ['npm', npmArgs];
  const r = spawnSync(cmd, cmdArgs, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env }, shell: windows });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

/** Runs the command with the terminal, passes on termination signals, and exits as it exits. */
function run(cmd, cmdArgs, env) {
  const child = spawn(cmd, cmdArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: windows && !cmd.endsWith('.exe'),
  });
  // Ctrl-C reaches the whole foreground process group, the child included; pass SIGINT on only when
  // no terminal did (a second SIGINT would cut short the child's own graceful stop).
  const relay = (signal) => {
    if (signal !== 'SIGINT' || !process.stdin.isTTY) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, relay);
  child.on('error', (err) =>
    fail(err.code === 'ENOENT' ? `${cmd} not found: run npm install first.` : `Could not start ${cmd}: ${err.message}`),
  );
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, relay);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 1);
    }
  });
}

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}
