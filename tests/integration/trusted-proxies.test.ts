// The look-up's rate limit over real HTTP, with and without WAYPOST_TRUSTED_PROXIES: a caller that
// talks to the portal directly cannot escape the limit by writing its own X-Forwarded-For (nor the
// header the front server hands the address to pages in); behind a trusted proxy each shopper's
// address has its own limit, and what a shopper wrote left of the proxy's entry is not believed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER } from '../../src/server/http/client-address.ts';
import { LOOKUP_LIMIT } from '../../src/server/orders/lookup-order.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

async function serverWithOrder(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer(env);
  const key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'shop', '--name', 'Shop']).apiKey;
  expect((await api(server.url, key, 'POST', '/api/v1/orders', orderBody({ number: 'A-100' }))).status).toBeLessThan(300);
  return server;
}
/** One wrong look-up; its status (422 a miss, 429 limited). */
const miss = async (server: TestServer, headers: Record<string, string>) =>
  (await postForm(server.url, '/shop/lookup', { order: 'NOPE', contact: 'x@example.com' }, headers)).status;

describe('a portal reached directly (no trusted proxy)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWithOrder({});
  });
  afterAll(() => server?.stop());

  it('counts the socket’s address, whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LOOKUP_LIMIT.max; i++)
      statuses.push(await miss(server, { 'x-forwarded-for': `198.51.100.${i + 1}`, [CLIENT_ADDRESS_HEADER]: `203.0.113.${i + 1}` }));
    expect(statuses).toEqual([...Array<number>(LOOKUP_LIMIT.max).fill(422), 429]);
    expect(await miss(server, { 'x-forwarded-for': '192.0.2.200' })).toBe(429);
  });
});

describe('a portal behind a trusted proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The test's requests come from the loopback: here it plays the load balancer.
    server = await serverWithOrder({ WAYPOST_TRUSTED_PROXIES: '127.0.0.1, ::1' });
  });
  afterAll(() => server?.stop());

  it('counts each shopper’s address on its own, and believes only the proxy’s entry', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LOOKUP_LIMIT.max; i++) statuses.push(await miss(server, { 'x-forwarded-for': '198.51.100.7' }));
    expect(statuses).toEqual([...Array<number>(LOOKUP_LIMIT.max).fill(422), 429]);
    // The same shopper writing an address of its own in front of the proxy's entry is still limited.
    expect(await miss(server, { 'x-forwarded-for': '192.0.2.1, 198.51.100.7' })).toBe(429);
    // Another shopper behind the same proxy has a limit of its own.
    expect(await miss(server, { 'x-forwarded-for': '198.51.100.8' })).toBe(422);
  });
});
