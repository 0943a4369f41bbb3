// At least once across crashes, with the same id: a server killed (SIGKILL) while a delivery is in
// flight sends it again after a restart with the same webhook-id, so the receiver can drop the
// repeat; the ledger row ends succeeded with two attempts.
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { api } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

let receiver: WebhookReceiver;
const servers: TestServer[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
}, 30_000);
afterAll(async () => {
  for (const s of servers) if (s.process.signalCode === null) await s.stop();
  await receiver?.close();
});

const env = () => ({ WAYPOST_WORKER: '1', WAYPOST_WEBHOOK_HOSTS: receiver.host, WAYPOST_WEBHOOK_LEASE_MS: '3000' });
// Read what the killed server left behind in its database (its SQLite file or its PostgreSQL database).
const deliveries = () =>
  db()
    .select({
      eventType: schema.webhookDeliveries.type,
      status: schema.webhookDeliveries.status,
      attempts: schema.webhookDeliveries.attempts,
    })
    .from(schema.webhookDeliveries)
    .orderBy(asc(schema.webhookDeliveries.createdAt));

it('a crash in the middle of a delivery leads to a later delivery with the same webhook-id', async () => {
  const first = await startTestServer(env());
  servers.push(first);
  const key = createPushStore(first, 'crashhooks', 'Crash Hooks');
  const created = await api(first.url, key, 'POST', '/api/v1/webhook-endpoints', {
    url: receiver.url,
    events: ['shipment.shipped'],
  });
  expect(created.status).toBe(201);
  receiver.secrets = [created.json.secret];
  await createOrder(first, key, '7001', 'CRASHW7001');
  receiver.answers = ['hold']; // the receiver takes the request and never answers

  const held = receiver.held();
  await carrierEvent(first, 'crashhooks', 'CRASHW7001', 'in_transit', 'arrived_at_facility', 5);
  await held;
  first.process.kill('SIGKILL');
  await new Promise((r) => first.process.once('exit', r));
  useDatabase(first.database);
  expect(await deliveries()).toMatchObject([{ eventType: 'shipment.shipped', status: 'sending', attempts: 1 }]);

  const second = await startTestServer({ ...env(), WAYPOST_DATA_DIR: first.dataDir });
  servers.push(second);
  await waitUntil(() => receiver.received.length === 2, 30_000);
  const [before, after] = receiver.received;
  expect(after!.id).toBe(before!.id);
  expect(after!.body).toBe(before!.body);
  expect(after!.verifiedBy).toEqual([0]);
  expect(JSON.parse(after!.body)).toMatchObject({
    type: 'shipment.shipped',
    data: { orderNumber: '7001', shipment: { trackingCode: 'CRASHW7001' } },
  });
  const rows = await waitUntil(async () => {
    const r = await deliveries();
    return r[0]?.status === 'succeeded' ? r : null;
  }, 20_000);
  expect(rows).toMatchObject([{ eventType: 'shipment.shipped', status: 'succeeded', attempts: 2 }]);
}, 120_000);
