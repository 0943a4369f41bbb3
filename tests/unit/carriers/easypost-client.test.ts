import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import EasyPostClient from '@easypost/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyCarrierError } from '../../../src/server/carriers/easypost-client.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/easypost', import.meta.url));

describe('classifyCarrierError on error-shaped values', () => {
  it.each([
    [{ statusCode: 429, message: 'Too many requests' }, 'soon'],
    [{ statusCode: 500, message: 'Internal error' }, 'soon'],
    [{ statusCode: 502, message: 'Bad gateway' }, 'soon'],
    [{ statusCode: 503, message: 'Unavailable' }, 'soon'],
    [{ statusCode: 504, message: 'Gateway timeout' }, 'soon'],
    [{ statusCode: 400, message: 'Bad request' }, 'later'],
    [{ statusCode: 401, message: 'Unauthorized' }, 'later'],
    [{ statusCode: 403, message: 'Inactive key' }, 'later'],
    [{ statusCode: 404, message: 'Not found' }, 'later'],
    [{ statusCode: 422, message: 'Missing parameter' }, 'later'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'soon'],
    [Object.assign(new Error('Timeout of 10000ms exceeded'), { timeout: 10_000, code: 'ECONNABORTED' }), 'soon'],
    [new TypeError("Cannot destructure property 'code' of 'n.body.error' as it is undefined."), 'soon'],
    ['a thrown string', 'soon'],
    [null, 'soon'],
    [undefined, 'soon'],
  ] as [unknown, 'soon' | 'later'][])('%o → %s', (err, retry) => {
    expect(classifyCarrierError(err).retry).toBe(retry);
  });

  it('keeps the message, at most 300 characters', () => {
    expect(classifyCarrierError({ statusCode: 404, message: 'The requested resource could not be found.' })).toEqual({
      retry: 'later',
      message: 'The requested resource could not be found.',
    });
    expect(classifyCarrierError({ statusCode: 500, message: 'x'.repeat(1000) }).message).toHaveLength(300);
    expect(classifyCarrierError('plain words').message).toBe('plain words');
  });
});

describe('classifyCarrierError on what the real @easypost/api client throws', () => {
  // A local server that answers every request with the next canned response.
  let server: http.Server;
  let baseUrl: string;
  let answer: { status: number; body: string; type?: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' }).end(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function thrown(status: number, body: string, type?: string): Promise<unknown> {
    answer = { status, body, type };
    const client = new EasyPostClient('EZTK_test_key', { baseUrl });
    return client.Tracker.retrieve('trk_123').then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e,
    );
  }
  const fixture = (name: string) => readFileSync(`${FIXTURES}/${name}`, 'utf8');
  const easypostError = (code: string, message: string) => JSON.stringify({ error: { code, message, errors: [] } });

  it.each([
    [404, 'error-404-not-found.json', 'The requested resource could not be found.'],
    [403, 'error-403-apikey-inactive.json', 'This api key is no longer active. Please use a different api key or reactivate this key.'],
    [422, 'error-422-parameter-required.json', 'Missing required parameter.'],
    [404, 'error-404-errors-as-strings.json', undefined],
  ] as [number, string, string | undefined][])('a recorded %d (%s) is not worth retrying soon', async (status, file, message) => {
    const err = await thrown(status, fixture(file));
    expect((err as { statusCode?: number }).statusCode).toBe(status);
    const c = classifyCarrierError(err);
    expect(c.retry).toBe('later');
    if (message) expect(c.message).toBe(message);
  });

  it.each([429, 500, 503])('a %d in EasyPost’s error shape is retried soon', async (status) => {
    const err = await thrown(status, easypostError(status === 429 ? 'RATE_LIMITED' : 'INTERNAL_SERVER_ERROR', 'Try again'));
    expect((err as { statusCode?: number }).statusCode).toBe(status);
    expect(classifyCarrierError(err)).toEqual({ retry: 'soon', message: 'Try again' });
  });

  it('a 502 from a proxy with an HTML body is retried soon', async () => {
    const err = await thrown(502, '<html><body>Bad Gateway</body></html>', 'text/html');
    expect(classifyCarrierError(err).retry).toBe('soon');
  });

  it('a refused connection is retried soon', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = new EasyPostClient('EZTK_test_key', { baseUrl: `http://127.0.0.1:${port}/v2/` });
    const err = await client.Tracker.retrieve('trk_123').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(classifyCarrierError(err).retry).toBe('soon');
  });
});
