// Shared test helpers: a controllable clock, a real @easypost/api client, and a webhook receiver.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import EasyPostClient from '@easypost/api';
import { startEmulator } from '../../../src/emulator/index.ts';
import type { Emulator, EmulatorOptions } from '../../../src/emulator/index.ts';

const START = Date.parse('2025-05-09T20:40:00Z');

/** A clock that only moves when the test says so. */
function fakeClock(start = START) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** An emulator driven by a fake clock, without the background timer. */
export async function emulatorWithClock(opts: EmulatorOptions = {}) {
  const clock = fakeClock();
  const emu = await startEmulator({ autoTick: false, clock: clock.now, ...opts });
  return { emu, clock };
}

export type Client = InstanceType<typeof EasyPostClient>;

/** The real client pointed at the emulator. */
export function clientFor(emu: Emulator, key = 'EZAK_test_key_1'): Client {
  return new EasyPostClient(key, { baseUrl: emu.baseUrl });
}

export interface Received {
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** A local webhook endpoint; `statusFor(n)` picks the answer to the n-th request (1-based). */
export async function startReceiver(statusFor: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const waiters: Array<{ test: (r: Received) => boolean; resolve: (r: Received) => void }> = [];
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { body: Buffer.concat(chunks), headers: Object.fromEntries(Object.entries(req.headers)) };
      const status = statusFor(++count);
      res.writeHead(status).end();
      if (status >= 300) return; // a refused delivery is not "received"
      received.push(r);
      for (const w of [...waiters]) {
        if (w.test(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/easypost`;
  return {
    url,
    received,
    requestCount: () => count,
    /** Resolves with the first accepted delivery (already received or future) matching `test`. */
    waitFor(test: (event: Record<string, any>) => boolean, timeoutMs = 10_000): Promise<Received> {
      const matches = (r: Received) => test(JSON.parse(r.body.toString('utf8')));
      const already = received.find(matches);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching webhook delivery in time')), timeoutMs);
        waiters.push({
          test: matches,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}
