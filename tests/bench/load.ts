// Load generation with wrk (Debian's package; installed on first use when we may).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { once } from 'node:events';

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

/** Reads percentile p of wrk's --latency table, in ms. */
const latencyAt = (out: string) => (p: string) => {
  const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
};

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
  const lat = latencyAt(out);
  const errors =
    Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors:.*?timeout (\d+)/.exec(out)?.[1] ?? 0);
  return { requestsPerSecond: rps, p50Ms: lat('50'), p99Ms: lat('99'), errors };
}

export interface EachOnceResult extends LoadResult {
  /** Pages read (each path once). */
  read: number;
  non200: number;
  /** 200 answers whose body lacked the marker. */
  stale: number;
  seconds: number;
}

const EACH_ONCE = fileURLToPath(new URL('./read-each-once.lua', import.meta.url));

/**
 * Reads each path in pathsFile once with wrk (read-each-once.lua), one thread on core 0 and
 * `connections` at a time; the rate is the paths read over the script's own time for them.
 * wrk sleeps out its -d whatever its script does, so it is interrupted when the script says it is done.
 */
export async function readEachOnce(
  origin: string,
  pathsFile: string,
  opts: { connections?: number; marker?: string } = {},
): Promise<EachOnceResult> {
  const args = ['-c', '0', 'wrk', '-t1', `-c${opts.connections ?? 32}`, '-d300s', '--latency', '-s', EACH_ONCE, origin, '--', pathsFile];
  if (opts.marker) args.push(opts.marker);
  const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
    // The script's thread has stopped by now, so SIGINT reaches wrk's main thread and ends its sleep.
    if (err.includes('waypost finished')) setTimeout(() => child.kill('SIGINT'), 20);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const m = /waypost read=(\d+) non200=(\d+) stale=(\d+) elapsed_ns=(\d+)/.exec(out);
  if (!m) throw new Error(`wrk did not finish its reads (exit ${code}): ${err.trim() || out.trim()}`);
  const [read, non200, stale, ns] = m.slice(1).map(Number) as [number, number, number, number];
  const lat = latencyAt(out);
  const seconds = ns / 1e9;
  return { requestsPerSecond: read / seconds, p50Ms: lat('50'), p99Ms: lat('99'), errors: non200, read, non200, stale, seconds };
}
