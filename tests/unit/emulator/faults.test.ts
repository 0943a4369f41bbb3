// Injected faults as the real client sees them: rate limits, server errors, hangs and dropped connections.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import EasyPostClient from '@easypost/api';
import type { Emulator } from '../../../src/emulator/index.ts';
import { clientFor, emulatorWithClock, errorOf } from './helpers.ts';

let emu: Emulator;
beforeEach(async () => {
  ({ emu } = await emulatorWithClock());
});
afterEach(async () => {
  await emu.close();
});

describe('faults', () => {
  it('answers the next N matching requests with 429 RATE_LIMITED, then recovers', async () => {
    const client = clientFor(emu);
    emu.inject({ path: /\/v2\/trackers/, status: 429, times: 5 });
    for (let i = 0; i < 5; i++) {
      const err = await errorOf(client.Tracker.all());
      expect([err.statusCode, err.code]).toEqual([429, 'RATE_LIMITED']);
      expect(err.message).toMatch(/rate limit/i);
    }
    expect((await client.Tracker.all()).trackers).toEqual([]);
    expect(emu.calls.map((c) => c.status)).toEqual([429, 429, 429, 429, 429, 200]);
  });

  it.each([
    [500, 'INTERNAL_SERVER_ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
  ])('answers %i with an EasyPost-shaped body', async (status, code) => {
    emu.inject({ status });
    const err = await errorOf(clientFor(emu).Tracker.create({ tracking_code: 'EZ1000000001' }));
    expect([err.statusCode, err.code]).toEqual([status, code]);
    expect((await clientFor(emu).Tracker.create({ tracking_code: 'EZ1000000001' })).status).toBe('pre_transit');
  });

  it('matches on method and path', async () => {
    const client = clientFor(emu);
    emu.inject({ method: 'POST', path: '/v2/trackers', status: 503 });
    await client.Tracker.all(); // a GET does not use it up
    expect((await errorOf(client.Tracker.create({ tracking_code: 'EZ1000000001' }))).statusCode).toBe(503);
  });

  it('can hang a request past the client’s timeout', async () => {
    // @easypost/api stores `timeout` but never applies it; a timeout needs requestMiddleware.
    const client = new EasyPostClient('key_timeout', { baseUrl: emu.baseUrl, requestMiddleware: (r: any) => r.timeout(150) });
    emu.inject({ delayMs: 30_000, times: 1 });
    const err = await errorOf(client.Tracker.all());
    expect(err.statusCode).toBeUndefined();
    expect(err.timeout).toBe(150);
    expect((await client.Tracker.all()).trackers).toEqual([]); // only the first request hung
  });

  it('can delay a request that then succeeds', async () => {
    emu.inject({ delayMs: 100 });
    const started = performance.now();
    const list = await clientFor(emu).Tracker.all();
    expect(list.trackers).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('can drop the connection', async () => {
    emu.inject({ drop: true });
    const err = await errorOf(clientFor(emu).Tracker.all());
    expect(err.statusCode).toBeUndefined();
    expect(String(err.code ?? err.message)).toMatch(/ECONNRESET|socket hang up/);
  });

  it('can answer with a non-EasyPost body, which the client cannot parse into an ApiError', async () => {
    emu.inject({ status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    const err = await errorOf(clientFor(emu).Tracker.all());
    expect(err).toBeInstanceOf(TypeError);
    expect(err.statusCode).toBeUndefined();
  });
});
