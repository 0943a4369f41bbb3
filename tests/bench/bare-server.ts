// A bare node:http server answering each path with the bytes given for it, in a process of its own
// (tests/bench/fresh-pages.ts starts it and pins it to the portal's core, so the two compare on
// equal terms): `bare-server.ts <bodies.json>`, where the file maps each path to its body. Prints
// its port as one line once listening.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const bodies = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>;
const bytes = new Map(Object.entries(bodies).map(([path, body]) => [path, Buffer.from(body)]));
const server = createServer((req, res) => {
  const body = bytes.get(req.url ?? '');
  res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'content-length': body?.length ?? 0 });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
