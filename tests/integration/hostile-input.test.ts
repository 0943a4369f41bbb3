// Hostile input against the real server: every request below once ended the process or earned a
// 500. Each now gets a clear 4xx (problem+json under /api, a page or plain words elsewhere),
// changes nothing, logs nothing as an unexpected error, and the server keeps answering.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { scanReviewInvitations } from '../../src/server/reviews/scan-review-invitations.ts';
import { applyCarrierNews } from '../../src/server/changes/carrier-news.ts';
import { orderBody } from '../fixtures/factories.ts';
import { makePng } from '../fixtures/images.ts';
import { event, snap } from '../unit/notices/helpers.ts';
import { api, cli } from '../support/http.ts';
import { rawRequest } from '../support/raw-http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const DAY = 86_400_000;
let server: TestServer;
let key: string;
let orderPath: string;

beforeAll(async () => {
  server = await startTestServer();
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'shop', '--name', 'Hostile Shop']).apiKey;
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({
      number: 'H-1',
      timeZone: 'UTC',
      shipments: [{ carrier: 'USPS', trackingCode: 'HOSTILE1', items: [{ sku: 'TENT-2P', quantity: 1 }] }],
    }),
  );
  orderPath = new URL(r.json.trackingUrl).pathname;
  // Delivered nine days ago, so the order's items can be reviewed (the review form is a form route too).
  useDatabase(server.database);
  const s = (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.trackingCode, 'HOSTILE1'))))!;
  const at = Date.now() - 9 * DAY;
  await applyCarrierNews({
    storeId: s.storeId,
    shipmentId: s.id,
    snapshot: snap('delivered', [event(at, 'delivered', 'Delivered')]),
    now: at,
  });
  await scanReviewInvitations(Date.now());
});
afterAll(() => server?.stop());

const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) =>
  rawRequest(server.url, method, path, headers, body);
const sameOrigin = () => ({ origin: server.url });
const bigBody = (bytes: number) => Buffer.alloc(bytes, 0x61);
/** A body sent in chunks with no Content-Length, so only the server's own reading can notice its size. */
const chunked = { 'transfer-encoding': 'chunked' };
const storeDocument = async () => (await api(server.url, key, 'GET', '/api/v1/store')).json;

function expectProblem(r: { status: number; headers: Record<string, unknown>; text: string }, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(r.text)).toMatchObject({ status, type: 'about:blank' });
}

describe('1. a request target that does not decode', () => {
  it('is a 400 and the process keeps running', async () => {
    for (const path of ['/_astro/%ff', '/_astro/%', '/_astro/%e0%a4%a', '/_astro/%c0%ae%c0%ae%c0%af', '/shop/%ff', '/api/v1/orders/%ff']) {
      expect((await raw('GET', path)).status, path).toBe(400);
    }
    expect(server.process.exitCode).toBeNull();
    expect((await raw('GET', '/shop')).status).toBe(200);
  });
});

describe('a NUL byte where a name or a number goes', () => {
  // PostgreSQL refuses text holding a NUL byte (SQLite simply found no row): each once earned a 500 there.
  it('in a path is a 404, in the look-up form no match', async () => {
    const auth = { authorization: `Bearer ${key}` };
    for (const path of ['/%00/lookup', '/shop/reviews/%00', '/shop/t/%00', '/%00/%00/%00'])
      expect((await raw('GET', path)).status, path).toBe(404);
    expectProblem(await raw('GET', '/api/v1/orders/%00', auth), 404);
    const form = { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin() };
    const lookup = await raw('POST', '/shop/lookup', form, 'order=H-1%00&contact=ann%40example.com');
    expect(lookup.status).toBeLessThan(500);
    expect(lookup.status).not.toBe(303); // not found: no way into the order
  });
});

describe('2. form routes given bodies that are not forms', () => {
  const bodies: [string, Record<string, string>, string | Buffer | undefined][] = [
    ['JSON', { 'content-type': 'application/json' }, '{"kind":"damaged"}'],
    ['plain text', { 'content-type': 'text/plain' }, 'kind=damaged'],
    ['XML', { 'content-type': 'application/xml' }, '<kind>damaged</kind>'],
    [
      'broken multipart',
      { 'content-type': 'multipart/form-data; boundary=xyz' },
      '--xyz\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndam',
    ],
    ['no body', {}, undefined],
  ];

  it('the problem report answers 422 with a page saying what is missing, and opens no case', async () => {
    for (const [name, headers, body] of bodies) {
      const r = await raw('POST', `${orderPath}/problem`, { ...sameOrigin(), ...headers }, body);
      expect(r.status, name).toBe(422);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.text).toContain('We could not send your report');
    }
    expect((await api(server.url, key, 'GET', '/api/v1/cases')).json.cases).toEqual([]);
  });

  it('the review form answers 422 with the form again, and saves nothing', async () => {
    for (const [name, headers, body] of bodies) {
      const r = await raw('POST', `${orderPath}/review`, { ...sameOrigin(), ...headers }, body);
      expect(r.status, name).toBe(422);
      expect(r.text).toContain('Review your items');
    }
    expect(await db().select().from(schema.reviews)).toEqual([]);
  });

  it('a form larger than the limit is a 413, whether or not it says its length', async () => {
    const form = { ...sameOrigin(), 'content-type': 'application/x-www-form-urlencoded' };
    for (const path of [`${orderPath}/problem`, `${orderPath}/review`, `${orderPath}/returns`, '/shop/lookup']) {
      expect((await raw('POST', path, { ...form, ...chunked }, bigBody(6 * 1024 * 1024))).status, path).toBe(413);
      expect((await raw('POST', path, form, bigBody(6 * 1024 * 1024))).status, path).toBe(413);
    }
  });
});

describe('3. bodies over the size limit', () => {
  it('every JSON API route and the push route answer 413 problem+json', async () => {
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const routes: [string, string][] = [
      ['POST', '/api/v1/orders'],
      ['POST', '/api/v1/orders/H-1/shipments'],
      ['PATCH', '/api/v1/store'],
      ['PUT', '/api/v1/products/TENT'],
      ['PATCH', '/api/v1/returns/ret_none'],
    ];
    for (const [method, path] of routes) {
      expectProblem(await raw(method, path, auth, bigBody(2 * 1024 * 1024)), 413); // over the API's 1 MB
      expectProblem(await raw(method, path, { ...auth, ...chunked }, bigBody(6 * 1024 * 1024)), 413); // over the server's 5 MB
    }
    const push = { ...sameOrigin(), 'content-type': 'application/json' };
    expectProblem(await raw('POST', `${orderPath}/push`, { ...push, ...chunked }, bigBody(6 * 1024 * 1024)), 413);
    expectProblem(await raw('POST', `${orderPath}/push`, push, bigBody(2 * 1024 * 1024)), 413);
  });

  it('a carrier webhook over 512 KB is a 413, not a refused signature', async () => {
    const r = await raw('POST', '/api/webhooks/easypost/shop', { 'content-type': 'application/json' }, bigBody(600 * 1024));
    expectProblem(r, 413);
  });
});

describe('4 and 7. store patches that reach too deep or for the prototype', () => {
  const patch = (body: string) =>
    raw('PATCH', '/api/v1/store', { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body);

  it('10,000 levels of nesting is a 422 naming where, and nothing changes', async () => {
    const before = await storeDocument();
    const r = await patch('{"branding":'.repeat(10_000) + '1' + '}'.repeat(10_000));
    expectProblem(r, 422);
    expect(JSON.parse(r.text).errors[0].detail).toBe('nested too deeply (at most 16 levels)');
    expect(await storeDocument()).toEqual(before);
  });

  it('__proto__, constructor and prototype keys are refused anywhere in the patch', async () => {
    const before = await storeDocument();
    for (const [body, pointer] of [
      ['{"__proto__":{"branding":{"orderNote":"x"}}}', '/__proto__'],
      ['{"branding":{"__proto__":{"orderNote":"x"}}}', '/branding/__proto__'],
      ['{"policies":{"returns":{"constructor":{"prototype":{"x":1}}}}}', '/policies/returns/constructor'],
      ['{"prototype":1}', '/prototype'],
    ]) {
      const r = await patch(body!);
      expectProblem(r, 422);
      expect(JSON.parse(r.text).errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
    expect(await storeDocument()).toEqual(before);
    expect(({} as Record<string, unknown>).branding).toBeUndefined();
  });
});

describe('5 and 6. methods and paths', () => {
  it('TRACE and other unknown methods are a 405 on every path', async () => {
    for (const path of ['/', '/shop', orderPath, '/admin', '/api/v1/orders', '/_astro/x.js']) {
      for (const method of ['TRACE', 'PROPFIND']) {
        const r = await raw(method, path);
        expect(r.status, `${method} ${path}`).toBe(405);
        expect(r.headers.allow).toBeDefined();
      }
    }
  });

  it('under /api every answer is problem+json: unknown paths 404, missing methods 405 with Allow', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const cases: [string, string, number, string?][] = [
      ['DELETE', '/api/v1/orders', 405, 'POST'],
      ['OPTIONS', '/api/v1/orders', 405, 'POST'],
      ['GET', '/api/webhooks/easypost/shop', 405, 'POST'],
      ['PUT', '/api/v1/store', 405, 'GET, HEAD, PATCH'],
      ['POST', '/api/v1/orders/H-1', 405, 'GET, HEAD'],
      ['GET', '/api/v1/nope', 404],
      ['GET', '/api/nope/deeper/still', 404],
      ['GET', '/api/', 404],
    ];
    for (const [method, path, status, allow] of cases) {
      const r = await raw(method, path, auth);
      expectProblem(r, status);
      if (allow) expect(r.headers.allow, `${method} ${path}`).toBe(allow);
    }
    expect((await raw('GET', '/api/health')).status).toBe(200);
    expect((await raw('HEAD', '/api/v1/orders/H-1', auth)).status).toBe(200);
  });
});

describe('the logo comes only as checked bytes', () => {
  it('a link to a picture elsewhere is refused; PUT /api/v1/store/logo takes the bytes and serves them from here', async () => {
    const refused = await api(server.url, key, 'PATCH', '/api/v1/store', { branding: { logoUrl: 'https://tracker.example/pixel.png' } });
    expect(refused.status).toBe(422);
    expect(refused.json.errors[0].pointer).toBe('/branding/logoUrl');
    expect((await storeDocument()).branding.logoUrl).toBeUndefined();

    const put = (type: string, body: Buffer) =>
      fetch(`${server.url}/api/v1/store/logo`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': type },
        body: new Uint8Array(body),
      });
    expect((await put('image/svg+xml', Buffer.from('<svg/>'))).status).toBe(415);
    const junk = await put('image/png', Buffer.from('<html>not a png</html>'));
    expect(junk.status).toBe(422);
    expect((await storeDocument()).branding.logoUrl).toBeUndefined();

    const png = makePng(8, 8);
    const ok = await put('image/png', png);
    expect(ok.status).toBe(200);
    const logoUrl = ((await ok.json()) as { branding: { logoUrl: string } }).branding.logoUrl;
    expect(logoUrl).toMatch(/^\/assets\/[0-9a-f]{32}\.png$/);
    expect(Buffer.compare(Buffer.from(await (await fetch(server.url + logoUrl)).arrayBuffer()), png)).toBe(0);
    // Keeping it (the same value) and removing it (null) are still patches like any other.
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { branding: { logoUrl, orderNote: 'Hi' } })).status).toBe(200);
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { branding: { logoUrl: null } })).json.branding.logoUrl).toBeUndefined();
  });
});

describe('afterwards', () => {
  it('the server is still up and logged none of it as an unexpected error', async () => {
    expect(server.process.exitCode).toBeNull();
    expect((await raw('GET', orderPath)).status).toBe(200);
    const errors = server.output
      .join('')
      .split('\n')
      .filter((l) => /"level":(50|60)/.test(l));
    expect(errors).toEqual([]);
  });
});
