// At most once across crashes: a server killed (SIGKILL) after its push reached the push service
// but before it recorded the answer never sends that notification again after a restart; the row
// is recorded as abandoned, and the restarted sender carries on with new events.
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { startPushService, type PushService } from '../support/push-service.ts';
import { carrierEvent, createOrder, createPushStore, subscribe } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';

let push: PushService;
const servers: TestServer[] = [];

beforeAll(async () => {
  push = await startPushService();
}, 30_000);
afterAll(async () => {
  for (const s of servers) if (s.process.signalCode === null) await s.stop(); // a killed one has no exit code to wait for
  await push?.close();
});

const env = () => ({ WAYPOST_WORKER: '1', WAYPOST_PUSH_HOSTS: push.host, WAYPOST_PUSH_LEASE_MS: '3000' });
// Read what the killed server left behind in its database (its SQLite file or its PostgreSQL
// database), before and while another server recovers it.
const outbox = () =>
  db()
    .select({
      eventKey: schema.notificationOutbox.eventKey,
      status: schema.notificationOutbox.status,
      attempts: schema.notificationOutbox.attempts,
      lastError: schema.notificationOutbox.lastError,
    })
    .from(schema.notificationOutbox)
    .orderBy(asc(schema.notificationOutbox.createdAt));

it('a crash between sending and recording does not send twice', async () => {
  const first = await startTestServer(env());
  servers.push(first);
  const key = createPushStore(first, 'crashy', 'Crashy Goods');
  const order = await createOrder(first, key, '8001', 'CRASH8001');
  const device = push.newDevice();
  push.answer(device.id, 'hold'); // the push service takes the message and never answers
  expect((await subscribe(first, order.path, device.subscription)).status).toBe(201);

  const held = push.held();
  await carrierEvent(first, 'crashy', 'CRASH8001', 'in_transit', 'arrived_at_facility', 60);
  await held;
  first.process.kill('SIGKILL');
  await new Promise((r) => first.process.once('exit', r));
  useDatabase(first.database);
  expect(await outbox()).toMatchObject([{ status: 'sending', attempts: 1 }]);

  const second = await startTestServer({ ...env(), WAYPOST_DATA_DIR: first.dataDir });
  servers.push(second);
  // Once the dead sender's lease runs out, the row is closed as abandoned, never resent.
  const rows = await waitUntil(async () => {
    const r = await outbox();
    return r[0]?.status === 'abandoned' ? r : null;
  }, 15_000);
  expect(rows![0]!.lastError).toMatch(/not resent/);

  // The restarted sender works: the next step arrives, and the first message still came only once.
  await carrierEvent(second, 'crashy', 'CRASH8001', 'delivered', 'arrived_at_destination', 1);
  await waitUntil(() => push.received.filter((r) => r.device === device.id).length === 2, 15_000);
  await new Promise((r) => setTimeout(r, 1000));
  const bodies = push.received.filter((r) => r.device === device.id).map((r) => r.payload.body);
  expect(bodies).toEqual(['Your order #8001 is on its way.', 'Your order #8001 has been delivered.']);
  expect((await outbox()).map((r) => r.status)).toEqual(['abandoned', 'sent']);
}, 90_000);
