// Starts the real portal (src/main.ts) in a child process on a free port with its own data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseFromTemplate, pgAdminUrl, rememberServerDatabase, serverDatabaseOf } from './pg.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  /** The server's database: its SQLite file, or on the PostgreSQL leg its database's URL (for useDatabase). */
  database: string;
  output: string[];
  process: ChildProcess;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the server and resolves once it is listening. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = env.WAYPOST_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'waypost-srv-'));
  // On the PostgreSQL leg each server has a database of its own (unless the test gives one); a
  // server restarted on an earlier server's data directory finds that server's database, as it
  // finds its SQLite file on the SQLite leg.
  const pgUrl = env.DATABASE_URL ?? serverDatabaseOf(dataDir) ?? (pgAdminUrl() ? await databaseFromTemplate() : undefined);
  const database = pgUrl ?? join(dataDir, 'waypost.db');
  if (pgUrl) rememberServerDatabase(dataDir, pgUrl);
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.WAYPOST_PUBLIC_URL; // links follow the real port unless a test sets one
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', join(root, 'src/main.ts')],
    {
      cwd: root,
      env: {
        ...base,
        PORT: '0',
        HOST: '127.0.0.1',
        WAYPOST_DATA_DIR: dataDir,
        WAYPOST_DEMO: '0',
        WAYPOST_WORKER: '0',
        WAYPOST_SECRET: 'test-server-secret-test-server-secret-01',
        WAYPOST_LOG_LEVEL: 'warn',
        ...(pgUrl ? { DATABASE_URL: pgUrl } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = /Waypost is running at (http:\/\/[^\s]+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join('')}`));
    });
  });
  // Keep collecting, so tests can read what the server printed; and keep it on disk, so a server
  // that dies under a test leaves its last words in tests/.artifacts.
  const logFile = join(root, 'tests/.artifacts', `server-${child.pid}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, output.join(''));
  child.stdout!.on('data', (c: Buffer) => appendFileSync(logFile, c));
  child.stderr!.on('data', (c: Buffer) => appendFileSync(logFile, c));
  child.on('exit', (code, signal) => appendFileSync(logFile, `\n[server exited: code ${code}, signal ${signal}]\n`));
  return {
    url,
    dataDir,
    database,
    output,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The demo links the server printed (label → order page URL). */
export function demoLinks(output: string[]): Record<string, string> {
  const links: Record<string, string> = {};
  for (const line of output.join('').split('\n')) {
    const m = /^\s{2}(.+?)\s+(http:\/\/\S+\/t\/\S+)$/.exec(line);
    if (m) links[m[1]!.trim()] = m[2]!;
  }
  return links;
}
