// Load generation with wrk (Debian's package; installed on first use when we may).
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Makes sure wrk is on the machine. */
export function ensureWrk(): void {
  if (existsSync('/usr/bin/wrk')) return;
  console.log('installing wrk (apt-get)…');
  spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit' });
  if (!existsSync('/usr/bin/wrk')) throw new Error('wrk is needed for the benchmark: apt-get install -y wrk');
}

/** Runs wrk against url on one core (0) while servers run on the other. */
export async function load(url: string, opts: { seconds?: number; connections?: number; headers?: string[] } = {}): Promise<LoadResult> {
  const args = [
    '-t1',
    `-c${opts.connections ?? 32}`,
    `-d${opts.seconds ?? 5}s`,
    '--latency',
    ...(opts.headers ?? []).flatMap((h) => ['-H', h]),
    url,
  ];
  // Asynchronous, so a server inside this process keeps answering while wrk runs.
  const { stdout: out } = await promisify(execFile)('taskset', ['-c', '0', 'wrk', ...args], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const lat = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const errors =
    Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors:.*?timeout (\d+)/.exec(out)?.[1] ?? 0);
  return { requestsPerSecond: rps, p50Ms: lat('50'), p99Ms: lat('99'), errors };
}
