// Random hostile requests against the real server (fast-check): every route, every method, broken
// and invalid percent-encoding in every path segment, raw bytes in the request line, wrong content
// types, random, huge and deeply nested bodies. Never a 5xx, never a reset or a hang, never a stack
// trace in an answer; and afterwards the server still answers and has logged no unexpected error.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli } from '../support/http.ts';
import { rawRequest } from '../support/raw-http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let key: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'fuzz', '--name', 'Fuzz Shop']).apiKey;
  const r = await api(server.url, key, 'POST', '/api/v1/orders', orderBody({ number: 'F-1' }));
  token = new URL(r.json.trackingUrl).pathname.split('/')[3]!;
});
afterAll(() => server?.stop());

/** Every route of the portal, with the places a client chooses marked {…}. */
const ROUTES = [
  '/',
  '/{slug}',
  '/{slug}/lookup',
  '/{slug}/returns-policy.json',
  '/{slug}/reviews',
  '/{slug}/reviews/{id}',
  '/{slug}/t/{token}',
  '/{slug}/t/{token}/live',
  '/{slug}/t/{token}/manifest.webmanifest',
  '/{slug}/t/{token}/problem',
  '/{slug}/t/{token}/push',
  '/{slug}/t/{token}/review',
  '/{slug}/t/{token}/returns',
  '/{slug}/t/{token}/returns/new',
  '/{slug}/r/{token}',
  '/{slug}/r/{token}/{id}',
  '/admin',
  '/admin/login',
  '/admin/logout',
  '/admin/reset/{token}',
  '/admin/cases/{id}',
  '/admin/returns/{id}',
  '/assets/{id}',
  '/api/health',
  '/api/v1/orders',
  '/api/v1/orders/{id}',
  '/api/v1/orders/{id}/shipments',
  '/api/v1/store',
  '/api/v1/store/logo',
  '/api/v1/products/{id}',
  '/api/v1/products/{id}/reviews',
  '/api/v1/returns',
  '/api/v1/returns/{id}',
  '/api/v1/cases',
  '/api/webhooks/easypost/{slug}',
  '/_astro/{id}',
  '/sw.js',
  '/{id}/{id}/{id}',
];

const hex = (n: number) => `%${n.toString(16).padStart(2, '0')}`;
/** A path segment a client could send: real values, junk, escapes that decode, escapes that do not. */
const segment = fc.oneof(
  fc.constant('fuzz'),
  fc.constant('F-1'),
  fc.constant('TENT-2P'),
  fc.string({ unit: fc.constantFrom(..."abcXYZ019-_.~!$&'()*+,;=:@".split('')), maxLength: 30 }),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => [...bytes].map(hex).join('')), // often invalid UTF-8
  fc.constantFrom('%', '%f', '%zz', '%e0%a4%a', '%c0%ae%c0%ae%c0%af', '%00', '..', '%2e%2e', '%2f', '%ff%fe'),
  fc.string({ unit: 'grapheme', maxLength: 10 }).map(encodeURIComponent),
  fc.constant('<3000 a>'),
);
/** Long values are drawn as a short placeholder, so a failure prints readably. */
const expand = (s: string) => s.replaceAll('<3000 a>', 'a'.repeat(3000));
const query = fc.oneof(
  fc.constant(''),
  fc.constant('?lang=de'),
  fc.tuple(segment, segment).map(([k, v]) => `?${k}=${v}`),
);

const nested = (depth: number) => `<nested ${depth}>`;
/** The bytes a drawn body stands for. */
function bodyBytes(b: unknown): string | Buffer | undefined {
  if (b === undefined || Buffer.isBuffer(b)) return b;
  if (typeof b !== 'string') return JSON.stringify(b);
  const depth = /^<nested (\d+)>$/.exec(b)?.[1];
  if (depth) return '{"a":'.repeat(Number(depth)) + '1' + '}'.repeat(Number(depth));
  if (b === '<1.5 MB>') return Buffer.alloc(1.5 * 1024 * 1024, 0x7b);
  if (b === '<6 MB>') return Buffer.alloc(6 * 1024 * 1024, 0x7b);
  return b;
}
const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 3, arbitrary: fc.json({ maxDepth: 6 }) },
  { weight: 2, arbitrary: fc.integer({ min: 100, max: 20_000 }).map(nested) },
  { weight: 2, arbitrary: fc.dictionary(segment, segment, { maxKeys: 8 }).map((d) => new URLSearchParams(d).toString()) },
  { weight: 1, arbitrary: fc.constantFrom('<1.5 MB>', '<6 MB>') },
  { weight: 1, arbitrary: fc.constant('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nunfinished') },
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=b',
  'multipart/form-data',
  'text/plain',
  'application/xml',
  'image/png',
  '*/*; charset=ü',
);
const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'BREW');

const request = fc.record({
  method,
  route: fc.constantFrom(...ROUTES),
  segments: fc.array(segment, { minLength: 4, maxLength: 4 }),
  query,
  body,
  contentType,
  auth: fc.boolean(),
  chunked: fc.boolean(),
});

const STACK_TRACE = /\n\s+at [\w.<]|node_modules|\.ts:\d+:\d+|Error: /;

it('no request earns a 5xx, a reset, a hang or a stack trace', async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      let i = 0;
      const path =
        r.route.replace(/\{(slug|token|id)\}/g, (_, name: string) => {
          const s = r.segments[i++ % 4]!;
          if (name === 'slug' && i % 3 === 0) return 'fuzz';
          if (name === 'token' && i % 3 === 0) return token;
          return s;
        }) + r.query;
      const target = expand(path);
      const headers: Record<string, string> = { origin: server.url };
      if (r.contentType) headers['content-type'] = r.contentType;
      if (r.auth) headers.authorization = `Bearer ${key}`;
      const payload = bodyBytes(r.body);
      if (payload !== undefined && r.chunked) headers['transfer-encoding'] = 'chunked';
      const answer = await rawRequest(server.url, r.method, target, headers, payload, 15_000);
      expect(answer.status, `${r.method} ${path}`).toBeLessThan(500);
      expect(answer.text, `${r.method} ${path}`).not.toMatch(STACK_TRACE);
    }),
    { numRuns: 1500 },
  );
}, 600_000);

/** Sends bytes on a fresh connection; resolves with what came back before the server closed it (or 3 s of silence). */
function rawBytes(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(3000, () => socket.destroy(new Error('no answer within 3 s')));
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // One answer is enough; a keep-alive connection would otherwise wait for the next request.
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) socket.end();
    });
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

it('raw bytes in the request line and headers are a 4xx, never a 5xx or a dead server', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'TRACE', 'G\u00e9T', ''),
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.uint8Array({ maxLength: 100 }),
      async (m, target, header) => {
        const head = Buffer.concat([
          Buffer.from(`${m} /`, 'latin1'),
          Buffer.from(target),
          Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: ', 'latin1'),
          Buffer.from(header),
          Buffer.from('\r\nConnection: close\r\n\r\n', 'latin1'),
        ]);
        const answer = await rawBytes(head);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
        if (status) expect(Number(status), JSON.stringify(head.toString('latin1'))).toBeLessThan(500);
        expect(answer).not.toMatch(STACK_TRACE);
      },
    ),
    { numRuns: 500 },
  );
}, 300_000);

it('afterwards the server still answers and logged no unexpected error', async () => {
  expect(server.process.exitCode).toBeNull();
  expect((await fetch(`${server.url}/fuzz/t/${token}`)).status).toBe(200);
  const unexpected = server.output
    .join('')
    .split('\n')
    .filter((l) => /"level":(50|60)/.test(l));
  expect(unexpected).toEqual([]);
});
