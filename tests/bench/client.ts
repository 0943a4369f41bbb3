// A lean keep-alive HTTP/1.1 client for the benchmarks (node:http, so the load generator stays cheap).
import http from 'node:http';

/** A whole response. */
interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Requests to one origin over a pool of kept-alive connections. */
export interface Client {
  base: string;
  request(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Reply>;
  close(): void;
}

/** A client for one origin keeping up to `sockets` connections open. */
export function httpClient(base: string, sockets = 32): Client {
  const origin = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return {
    base: origin.origin,
    request(method, path, body, headers = {}) {
      return new Promise<Reply>((resolve, reject) => {
        const req = http.request(
          {
            host: origin.hostname,
            port: origin.port,
            method,
            path,
            agent,
            headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
