// The subscription route: only browsers' push services (the route is otherwise a server-side
// request forgery hole), well-formed keys, per-order rate limit, nothing across orders or stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type PushService } from '../support/push-service.ts';
import { createOrder, createPushStore, subscribe } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let push: PushService;
let server: TestServer;
let order: { path: string; url: string };
let other: { path: string };

beforeAll(async () => {
  push = await startPushService();
  server = await startTestServer({ WAYPOST_PUSH_HOSTS: push.host });
  const key = createPushStore(server, 'subs', 'Subs Shop');
  order = await createOrder(server, key, '9001', 'SUB9001');
  other = await createOrder(server, key, '9002', 'SUB9002');
  createPushStore(server, 'elsewhere', 'Elsewhere');
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await push?.close();
});

const keys = () => push.newDevice().subscription.keys;

describe('POST /{slug}/t/{token}/push', () => {
  it('refuses endpoints that are not a known push service with a 400 problem', async () => {
    for (const endpoint of [
      'https://evil.example/push/1',
      'http://169.254.169.254/latest/meta-data',
      'https://fcm.googleapis.com:8443/fcm/send/x',
      'http://fcm.googleapis.com/fcm/send/x',
      'https://fcm.googleapis.com.evil.example/fcm/send/x',
      `http://127.0.0.1:1/push/x`,
      'file:///etc/passwd',
    ]) {
      const r = await subscribe(server, order.path, { endpoint, keys: keys() });
      expect(r.status, endpoint).toBe(400);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('accepts the real push services and the hosts in WAYPOST_PUSH_HOSTS', async () => {
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/abc:def',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAA',
      'https://web.push.apple.com/QGx0',
      'https://wns2-by3p.notify.windows.com/w/?token=BQY',
      push.newDevice().subscription.endpoint,
    ]) {
      expect((await subscribe(server, other.path, { endpoint, expirationTime: null, keys: keys() })).status, endpoint).toBe(201);
    }
  });

  it('refuses malformed subscriptions, naming the field', async () => {
    const good = push.newDevice().subscription;
    const cases: [unknown, string][] = [
      [{ ...good, keys: { ...good.keys, p256dh: 'short' } }, '/keys/p256dh'],
      [{ ...good, keys: { ...good.keys, auth: Buffer.alloc(32).toString('base64url') } }, '/keys/auth'],
      [{ ...good, endpoint: 'not a url' }, '/endpoint'],
      [{ endpoint: good.endpoint }, '/keys'],
    ];
    for (const [body, pointer] of cases) {
      const r = await subscribe(server, order.path, body);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toContain(pointer);
    }
    const notJson = await fetch(`${server.url}${order.path}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('answers 404 for a foreign or edited token, and 403 from another site', async () => {
    const sub = push.newDevice().subscription;
    const foreign = order.path.replace('/subs/', '/elsewhere/');
    expect((await subscribe(server, foreign, sub)).status).toBe(404);
    expect((await subscribe(server, order.path.slice(0, -2) + 'xx', sub)).status).toBe(404);
    const cross = await fetch(`${server.url}${order.path}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify(sub),
    });
    expect(cross.status).toBe(403);
  });

  it('limits subscription changes per order', async () => {
    const limited = await createOrder(server, createPushStore(server, 'limits', 'Limits'), '9100', 'SUB9100');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await subscribe(server, limited.path, push.newDevice().subscription)).status);
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe('the per-store manifest', () => {
  it('names the store, its colour and icon, and opens the order', async () => {
    const r = await fetch(`${server.url}${order.path}/manifest.webmanifest`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/manifest+json');
    const m = (await r.json()) as Record<string, unknown>;
    expect(m).toMatchObject({ name: 'Subs Shop', start_url: order.path, scope: '/subs/', display: 'standalone' });
    expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    const html = await (await fetch(order.url)).text();
    expect(html).toContain(`<link rel="manifest" href="${order.path}/manifest.webmanifest">`);
    expect((await fetch(`${server.url}/icons/notification.png`)).headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${server.url}/sw.js`)).headers.get('content-type')).toMatch(/javascript/);
  });
});
