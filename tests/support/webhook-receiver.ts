// A local webhook receiver, as a store's system would run one: it verifies every delivery with the
// Standard Webhooks specification's own library (standardwebhooks' Webhook.verify) and answers as
// the test tells it (200, a status, or never: "hold").
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

interface Received {
  id: string;
  timestamp: string;
  signatures: string[];
  headers: IncomingHttpHeaders;
  body: string;
  /** Which of the receiver's secrets verified it (by index in `secrets`). */
  verifiedBy: number[];
  answered: number | 'hold';
}

type Answer = number | 'hold' | { status: number; headers: Record<string, string> };

export interface WebhookReceiver {
  url: string;
  /** host:port for WAYPOST_WEBHOOK_HOSTS. */
  host: string;
  received: Received[];
  /** Secrets to verify with (set once the endpoint is created). */
  secrets: string[];
  /** Answers for the next requests, in order; afterwards 200. */
  answers: Answer[];
  /** Resolves at the next held request. */
  held(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the receiver on a free port of 127.0.0.1. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let onHeld: (() => void) | null = null;
  const held: import('node:http').ServerResponse[] = [];
  const r: WebhookReceiver = {
    url: '',
    host: '',
    received: [],
    secrets: [],
    answers: [],
    held: () => new Promise<void>((res) => (onHeld = res)),
    close: () =>
      new Promise<void>((res) => {
        for (const h of held) h.destroy();
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verifiedBy: number[] = [];
      r.secrets.forEach((s, i) => {
        try {
          new Webhook(s).verify(body, req.headers as Record<string, string>);
          verifiedBy.push(i);
        } catch {
          // not signed with this secret
        }
      });
      const answer = r.answers.shift() ?? 200;
      r.received.push({
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signatures: String(req.headers['webhook-signature'] ?? '').split(' '),
        headers: req.headers,
        body,
        verifiedBy,
        answered: typeof answer === 'object' ? answer.status : answer,
      });
      if (answer === 'hold') {
        held.push(res);
        onHeld?.();
        return;
      }
      if (typeof answer === 'object') res.writeHead(answer.status, answer.headers).end();
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${port}/hooks`;
  r.host = `127.0.0.1:${port}`;
  return r;
}
