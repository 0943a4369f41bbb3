// One POST to a receiver with the guards every delivery needs: only to permitted addresses (the
// address connected to is the one checked), no redirects (Node's http never follows them), a
// time limit on the whole exchange, and only the first 64 KB of an answer read.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, hostPort, isForbiddenAddress } from './address-guard.ts';

const MAX_ANSWER_BYTES = 64 * 1024;

export interface PostAnswer {
  status: number | null;
  headers: IncomingHttpHeaders;
  body: string;
  durationMs: number;
  /** Why there was no answer (timeout, refused address, connection error). */
  error: string | null;
}

/** POSTs `body` to `url`; never throws, never takes longer than timeoutMs. */
export function postJson(opts: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowedHosts: readonly string[];
}): Promise<PostAnswer> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  const fail = (error: string): PostAnswer => ({ status: null, headers: {}, body: '', durationMs: took(), error });
  let u: URL;
  try {
    u = new URL(opts.url);
  } catch {
    return Promise.resolve(fail('not a URL'));
  }
  const allowed = opts.allowedHosts.includes(hostPort(u));
  const literal = u.hostname.replace(/^\[|\]$/g, '');
  // An address written in the URL is connected to without a lookup: check it here.
  if (!allowed && isIP(literal) && isForbiddenAddress(literal))
    return Promise.resolve(fail(`refused: ${literal} is a loopback, private or link-local address`));
  const send = u.protocol === 'https:' ? httpsRequest : u.protocol === 'http:' ? httpRequest : null;
  if (!send) return Promise.resolve(fail('only http and https'));
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: PostAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = send(
      u,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        lookup: guardedLookup(allowed) as never,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(c.subarray(0, MAX_ANSWER_BYTES - size));
          size += c.length;
          if (size >= MAX_ANSWER_BYTES) res.destroy(); // enough to show; the rest is not read
        });
        const finish = () =>
          done({
            status: res.statusCode ?? null,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            durationMs: took(),
            error: null,
          });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done(fail(`no answer within ${opts.timeoutMs / 1000} s`));
    }, opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) =>
      done(fail(err.message.startsWith('refused:') ? err.message : `${err.code ?? 'error'}: ${err.message}`)),
    );
    req.end(opts.body);
  });
}
