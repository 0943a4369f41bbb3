// Raw HTTP requests for hostile-input tests: any method token and any request target, which fetch
// refuses to send (TRACE, broken %-escapes), with a bound on how long an answer may take.
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends one request to base (http://host:port) and resolves with the whole answer; rejects on a reset or after timeoutMs. */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  // Frame the body as a well-behaved client would (Node sends a GET's body unframed otherwise).
  if (body !== undefined && headers['transfer-encoding'] === undefined && headers['content-length'] === undefined) {
    headers = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  }
  return new Promise((resolve, reject) => {
    const req = request(base + '/', { method, path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${method} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}
