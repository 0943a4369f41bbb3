// `npm run bench`: prints the figures the issues set targets for. Servers run on core 1, the load
// generator on core 0. Nothing here passes or fails: it measures, and says where a target is missed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../src/server/http/build.ts';
import { startTestServer, demoLinks } from '../support/server.ts';
import { ensureWrk } from './load.ts';
import { benchOrderPage } from './order-page.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
ensureWrk();
ensureBuilt(root);

const server = await startTestServer({ WAYPOST_DEMO: '1', WAYPOST_LOG_LEVEL: 'error' });
spawnSync('taskset', ['-pc', '1', String(server.process.pid)], { stdio: 'ignore' });
spawnSync('taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
const rows: [string, string, string][] = [];
const row = (name: string, value: string, target: string) => rows.push([name, value, target]);

try {
  const url = demoLinks(server.output)['Split across two parcels']!.replace('localhost', '127.0.0.1');
  const f = await benchOrderPage(url);
  row('order page: requests/s (portal)', f.portal.requestsPerSecond.toFixed(0), '');
  row('order page: requests/s (bare node:http, same bytes)', f.bare.requestsPerSecond.toFixed(0), '');
  row('order page: portal / bare', f.ratio.toFixed(2), '>= 0.50');
  row('order page: p50 / p99 latency (portal)', `${f.portal.p50Ms.toFixed(2)} / ${f.portal.p99Ms.toFixed(2)} ms`, '');
  row('order page: p50 / p99 latency (bare)', `${f.bare.p50Ms.toFixed(2)} / ${f.bare.p99Ms.toFixed(2)} ms`, '');
  row('order page: HTML bytes', String(f.pageBytes), '');
  row('order page: script shipped (gzip)', `${f.scriptBytesGzip} B in ${f.scripts} script(s)`, '< 15 KB');
  row('order page: failed responses under load', String(f.portal.errors), '0');
} finally {
  await server.stop();
}

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`\nWaypost benchmark (${new Date().toISOString()}, node ${process.version})`);
for (const [name, value, target] of rows) console.log(`${name.padEnd(w)}  ${value.padStart(22)}  ${target ? `target ${target}` : ''}`);
