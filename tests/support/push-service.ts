// A local push service for tests: a loopback HTTP server standing where FCM or Mozilla's autopush
// would. It hands out real subscriptions (a P-256 key pair and a 16-byte auth secret per device,
// made with node:crypto), checks every POST's VAPID JWT signature (ES256 against the key in the
// Authorization header, audience = this origin, expiry ≤ 24 h) and decrypts its aes128gcm body
// (RFC 8291) with the device's private key, so a test reads exactly what the phone would show.
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Received {
  device: string;
  /** The decrypted payload, parsed. */
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  jwt: { aud: string; exp: number; sub: string };
  at: number;
}

/** How the service answers a device's next pushes: a status, or 'hold' (never answer). */
type Answer = number | 'hold';

interface Device {
  id: string;
  ecdh: ECDH;
  auth: Buffer;
  answers: Answer[];
}

export interface PushService {
  origin: string;
  /** host:port, for WAYPOST_PUSH_HOSTS. */
  host: string;
  received: Received[];
  /** Requests that failed a check (bad signature, undecryptable): each a reason. */
  rejected: string[];
  /** A new device's PushSubscription JSON (as a browser would send it). */
  newDevice(): { id: string; subscription: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } } };
  /** Queue answers for a device's next pushes (default 201). */
  answer(deviceId: string, ...answers: Answer[]): void;
  /** Resolves when a held request arrives. */
  held(): Promise<void>;
  /** Answers every held request now, with this status. */
  releaseHeld(status?: number): void;
  close(): Promise<void>;
}

/** Starts the service on 127.0.0.1 and a free port; checkEvery n checks and decrypts every nth push only. */
export async function startPushService(opts: { checkEvery?: number } = {}): Promise<PushService> {
  const checkEvery = opts.checkEvery ?? 1; // the benchmark checks a sample, so it measures the sender
  let seen = 0;
  const devices = new Map<string, Device>();
  const received: Received[] = [];
  const rejected: string[] = [];
  const holding: ServerResponse[] = [];
  let onHeld: (() => void)[] = [];
  let origin = '';

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/push\/([\w-]+)$/.exec(req.url ?? '');
      const device = m ? devices.get(m[1]!) : undefined;
      if (req.method !== 'POST' || !device) return void res.writeHead(404).end();
      try {
        const check = seen++ % checkEvery === 0;
        const jwt = check ? checkVapid(req, origin) : { aud: '', exp: 0, sub: '' };
        const payload = check ? (JSON.parse(decrypt(Buffer.concat(chunks), device).toString('utf8')) as Record<string, unknown>) : {};
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const answer = device.answers.shift() ?? 201;
        if (answer === 'hold') {
          received.push({ device: device.id, payload, headers, jwt, at: Date.now() });
          holding.push(res);
          for (const f of onHeld) f();
          onHeld = [];
          return;
        }
        // Only accepted pushes reach the device; refused ones are not "received".
        if (answer >= 200 && answer < 300) received.push({ device: device.id, payload, headers, jwt, at: Date.now() });
        res.writeHead(answer, answer === 429 ? { 'retry-after': '1' } : {}).end();
      } catch (err) {
        rejected.push((err as Error).message);
        res.writeHead(400).end((err as Error).message);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    host: `127.0.0.1:${port}`,
    received,
    rejected,
    newDevice() {
      const id = randomBytes(9).toString('base64url');
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      devices.set(id, { id, ecdh, auth, answers: [] });
      return {
        id,
        subscription: {
          endpoint: `${origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        },
      };
    },
    answer(deviceId, ...answers) {
      devices.get(deviceId)!.answers.push(...answers);
    },
    held: () => new Promise<void>((r) => onHeld.push(r)),
    releaseHeld(status = 201) {
      for (const r of holding.splice(0)) if (!r.destroyed) r.writeHead(status).end();
    },
    close: async () => {
      for (const r of holding) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Checks "Authorization: vapid t=<jwt>, k=<key>": an ES256 signature by k, for this origin, not expired. */
function checkVapid(req: IncomingMessage, origin: string): Received['jwt'] {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(req.headers.authorization ?? '');
  if (!m) throw new Error('no VAPID authorization');
  const [head, body, sig] = m[1]!.split('.') as [string, string, string];
  const key = Buffer.from(m[2]!, 'base64url');
  if (key.length !== 65 || key[0] !== 4) throw new Error('VAPID key is not an uncompressed P-256 point');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: key.subarray(1, 33).toString('base64url'), y: key.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const ok = verify('sha256', Buffer.from(`${head}.${body}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  if (!ok) throw new Error('VAPID signature does not verify');
  const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string };
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Received['jwt'];
  if (header.alg !== 'ES256') throw new Error('VAPID alg is not ES256');
  if (claims.aud !== origin) throw new Error(`VAPID audience ${claims.aud} is not ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600 + 60)) throw new Error('VAPID expiry outside (now, now + 24 h]');
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error('VAPID subject is not mailto: or https:');
  if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('content encoding is not aes128gcm');
  if (!/^\d+$/.test(String(req.headers.ttl ?? ''))) throw new Error('no TTL header');
  return claims;
}

/** RFC 8291 + RFC 8188: one aes128gcm record, decrypted with the device's private key. */
function decrypt(body: Buffer, d: Device): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65 || record.length > rs) throw new Error('unexpected aes128gcm header');
  const secret = d.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), d.ecdh.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, d.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('missing last-record delimiter');
  return padded.subarray(0, end);
}
