// At most once across crashes: a server killed (SIGKILL) after the SMTP server took the whole
// message but before the ledger recorded its answer never sends that email again after a restart;
// the row is recorded as failed (outcome unknown), and the restarted job carries on with new news.
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { api } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';

let smtp: SmtpSink;
const servers: TestServer[] = [];

beforeAll(async () => {
  smtp = await startSmtpSink();
}, 30_000);
afterAll(async () => {
  for (const s of servers) if (s.process.signalCode === null) await s.stop();
  await smtp?.close();
});

const env = () => ({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_EMAIL_LEASE_MS: '3000' });
// Read exactly what the killed server left behind, from its database (its SQLite file or its
// PostgreSQL database), through the same client the server uses.
const ledger = () =>
  db()
    .select({
      kind: schema.messages.kind,
      status: schema.messages.status,
      attempts: schema.messages.attempts,
      lastError: schema.messages.lastError,
    })
    .from(schema.messages)
    .where(eq(schema.messages.channel, 'email'))
    .orderBy(asc(schema.messages.createdAt));

it('a crash between the SMTP server’s acceptance and the ledger’s update does not send twice', async () => {
  const first = await startTestServer(env());
  servers.push(first);
  const key = createPushStore(first, 'crashmail', 'Crash Mail');
  await api(first.url, key, 'PATCH', '/api/v1/store', { notifications: { quietHours: { enabled: false } } });
  const items = [{ sku: 'TENT-2P', title: 'Two-person tent', quantity: 1, unitAmount: 24900 }];
  await createOrder(first, key, '9001', 'CRASHM9001', { email: 'dee@example.com', items });
  smtp.hold.add('dee@example.com'); // the SMTP server takes the message and never answers

  await carrierEvent(first, 'crashmail', 'CRASHM9001', 'in_transit', 'arrived_at_facility', 60);
  await waitUntil(() => smtp.received.length === 1);
  first.process.kill('SIGKILL');
  await new Promise((r) => first.process.once('exit', r));
  useDatabase(first.database);
  expect(await ledger()).toMatchObject([{ kind: 'shipped', status: 'sending', attempts: 1 }]);
  smtp.hold.clear();

  const second = await startTestServer({ ...env(), WAYPOST_DATA_DIR: first.dataDir });
  servers.push(second);
  const rows = await waitUntil(async () => {
    const r = await ledger();
    return r[0]?.status === 'failed' ? r : null;
  }, 20_000);
  expect(rows![0]!.lastError).toMatch(/not resent/);

  await carrierEvent(second, 'crashmail', 'CRASHM9001', 'delivered', 'arrived_at_destination', 1);
  await waitUntil(() => smtp.received.length === 2, 20_000);
  await new Promise((r) => setTimeout(r, 1500));
  expect(smtp.received.map((m) => m.mail.subject)).toEqual(['Your order #9001 has shipped', 'Your order #9001 has been delivered']);
  expect((await ledger()).map((r) => r.status)).toEqual(['failed', 'sent']);
}, 120_000);
