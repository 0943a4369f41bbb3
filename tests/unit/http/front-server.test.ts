// The front server on its own, over real HTTP: whatever a handler throws is a plain 500 that is
// logged, and the process keeps serving; requests Astro could not even be handed (an unknown
// method, a target that does not decode, a body over the limit) are refused before it.
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFrontServer, isWellEncoded, MAX_BODY_BYTES, type AstroHandler } from '../../../src/server/http/front-server.ts';
import { log } from '../../../src/server/log.ts';
import { rawRequest } from '../../support/raw-http.ts';

let server: Server;
let base: string;
const clientDir = mkdtempSync(join(tmpdir(), 'waypost-client-'));
mkdirSync(join(clientDir, '_astro'));
writeFileSync(join(clientDir, '_astro', 'app.js'), 'console.log(1)');

// Stands in for Astro's handler: the front server's contract with it is (req, res).
const astro: AstroHandler = (req, res) => {
  if (req.url === '/throws') throw new Error('a handler bug');
  if (req.url === '/rejects') return Promise.reject(new Error('an async handler bug'));
  if (req.url === '/half') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
    throw new Error('failed after the headers');
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end('astro answered');
};

beforeAll(async () => {
  server = createFrontServer({ astro, clientDir });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const send = (method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) =>
  rawRequest(base, method, path, headers, body);

describe('a handler that throws', () => {
  it('answers a plain 500, logs it once, and the server keeps serving', async () => {
    const logged = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      for (const path of ['/throws', '/rejects']) {
        const r = await send('GET', path);
        expect(r.status, path).toBe(500);
        expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(r.text).toBe('Something went wrong on our side. Please try again.');
        expect(r.text).not.toMatch(/bug|Error|at /);
      }
      expect(logged).toHaveBeenCalledTimes(2);
      expect((await send('GET', '/fine')).text).toBe('astro answered');
    } finally {
      logged.mockRestore();
    }
  });

  it('cuts a response it had begun (the client sees a broken answer, not a false 200), and keeps serving', async () => {
    const logged = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      await expect(send('GET', '/half')).rejects.toThrow();
      expect(logged).toHaveBeenCalledTimes(1);
      expect((await send('GET', '/fine')).status).toBe(200);
    } finally {
      logged.mockRestore();
    }
  });
});

describe('refused before Astro', () => {
  it('an address whose %-escapes do not decode is a 400, for static files and pages alike', async () => {
    for (const path of ['/_astro/%ff', '/_astro/%', '/_astro/%e0%a4%a', '/_astro/%c0%ae%c0%ae%c0%af', '/demo/%ff', '/demo?q=%zz']) {
      const r = await send('GET', path);
      expect(r.status, path).toBe(400);
    }
    expect((await send('GET', '/_astro/app.js')).text).toBe('console.log(1)');
    expect((await send('GET', '/_astro/%61pp.js')).text).toBe('console.log(1)');
  });

  it('a method Waypost does not answer is a 405 with Allow (problem+json under /api)', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL']) {
      const page = await send(method, '/demo');
      expect(page.status).toBe(405);
      expect(page.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
      const api = await send(method, '/api/v1/orders');
      expect(api.status).toBe(405);
      expect(api.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(api.text)).toMatchObject({ status: 405, title: 'Method Not Allowed' });
    }
  });

  it('a body announced larger than the limit is a 413 before anything reads it', async () => {
    const r = await send('POST', '/api/v1/orders', { 'content-length': String(MAX_BODY_BYTES + 1), 'content-type': 'application/json' });
    expect(r.status).toBe(413);
    expect(r.headers['content-type']).toBe('application/problem+json');
  });

  it('a carrier webhook over 512 KB is a 413, not a failed signature', async () => {
    const r = await send('POST', '/api/webhooks/easypost/shop', { 'content-type': 'application/json' }, Buffer.alloc(513 * 1024, 0x20));
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toMatchObject({ status: 413, detail: 'The event is larger than 512 KB.' });
  });
});

describe('isWellEncoded', () => {
  it('accepts what decodes and refuses broken escapes and invalid UTF-8', () => {
    expect(isWellEncoded('/shop/t/abc')).toBe(true);
    expect(isWellEncoded('/a%20b?x=%C3%A9')).toBe(true);
    for (const bad of ['/%', '/%f', '/%ff', '/%e0%a4%a', '/%c0%af', '/?x=%zz']) expect(isWellEncoded(bad), bad).toBe(false);
  });
});
