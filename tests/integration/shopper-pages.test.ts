// The shopper's pages over real HTTP: look-up, the order page, its cache, and its headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let key: string;
let orderUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'shop', '--name', 'Shop <b>&amp; Co</b>']).apiKey;
  const r = await api(server.url, key, 'POST', '/api/v1/orders', orderBody({ number: 'A-100', customerName: '<script>alert(1)</script>' }));
  orderUrl = r.json.trackingUrl.replace(/^http:\/\/localhost:\d+/, server.url);
});
afterAll(() => server?.stop());

describe('look-up', () => {
  it('redirects (303) to the order page for any spelling of number and contact', async () => {
    for (const [order, contact] of [
      ['A-100', 'ann@example.com'],
      ['#a-100', ' ANN@Example.com '],
      [' a-100', '97 201'],
      ['A-100', '97201'],
    ]) {
      const r = await postForm(server.url, '/shop/lookup', { order: order!, contact: contact! }, { 'x-test-client': order! });
      expect(r.status, `${order} / ${contact}`).toBe(303);
      expect(r.headers.get('location')).toBe(new URL(orderUrl).pathname);
    }
  });

  it('answers a missing order and a wrong contact with the same page, then 429', async () => {
    const wrong = await postForm(server.url, '/shop/lookup', { order: 'A-100', contact: 'eve@example.com' });
    const missing = await postForm(server.url, '/shop/lookup', { order: 'NOPE', contact: 'ann@example.com' });
    expect(wrong.status).toBe(422);
    expect(missing.status).toBe(422);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    expect(strip(await wrong.text())).toBe(strip(await missing.text()));
    let last = 0;
    for (let i = 0; i < 8; i++) last = (await postForm(server.url, '/shop/lookup', { order: 'X' + i, contact: 'x@example.com' })).status;
    expect(last).toBe(429);
    // Even the right details are refused while limited.
    const right = await postForm(server.url, '/shop/lookup', { order: 'A-100', contact: 'ann@example.com' });
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toBe('900');
    expect(await right.text()).toContain('Too many attempts');
  });

  it('refuses a cross-site form post', async () => {
    const r = await postForm(
      server.url,
      '/shop/lookup',
      { order: 'A-100', contact: 'ann@example.com' },
      { origin: 'https://evil.example' },
    );
    expect(r.status).toBe(403);
  });
});

describe('order page', () => {
  it('escapes merchant and shopper text and sends the security headers', async () => {
    const r = await fetch(orderUrl);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('Shop &lt;b&gt;&amp;amp; Co&lt;/b&gt;');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('referrer-policy')).toBe('same-origin');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toContain('name="robots" content="noindex, nofollow"');
  });

  it('is answered from stored bytes (gzip too) and re-rendered when the order changes', async () => {
    const first = await fetch(orderUrl);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const cached = await fetch(orderUrl, { headers: { 'accept-encoding': 'gzip' } });
    expect(cached.headers.get('content-encoding')).toBe('gzip');
    expect(cached.headers.get('etag')).toBe(etag);
    expect(cached.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    expect((await fetch(orderUrl, { headers: { 'if-none-match': etag! } })).status).toBe(304);

    await api(server.url, key, 'POST', '/api/v1/orders/A-100/shipments', {
      carrier: 'UPS',
      trackingCode: '1ZCACHE1',
      items: [{ sku: 'MUG', quantity: 2 }],
    });
    const after = await fetch(orderUrl);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.text()).toContain('1ZCACHE1');
  });

  it('is a helpful 404 for a tampered token and an unknown store', async () => {
    const tampered = orderUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const r = await fetch(tampered);
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('This link does not open an order');
    expect((await fetch(`${server.url}/no-such-store`)).status).toBe(404);
  });
});
