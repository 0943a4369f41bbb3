// Small helpers for talking to a test server over real HTTP.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { serverDatabaseOf } from './pg.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the command line against a data dir and returns its parsed JSON output. */
export function cli<T = Record<string, unknown>>(dataDir: string, args: string[], env: Record<string, string> = {}): T {
  const out = execFileSync(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', join(root, 'src/cli/main.ts'), ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        // On the PostgreSQL leg: the database of the test server with this data directory.
        ...(serverDatabaseOf(dataDir) ? { DATABASE_URL: serverDatabaseOf(dataDir) } : {}),
        WAYPOST_DATA_DIR: dataDir,
        WAYPOST_SECRET: 'test-server-secret-test-server-secret-01',
        ...env,
      },
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as T;
}

/** A JSON API call with the store's key. */
export async function api(
  base: string,
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Posts a form as a same-origin browser would. */
export async function postForm(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
