// Two portals on one database (on the PostgreSQL leg, two instances on PostgreSQL): a change the
// worker (here: this test process) commits is rendered into the page store by exactly one of them,
// before anyone reads it, and both serve it fresh. See README, "Fresh pages".
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCarrierNews } from '../../src/server/changes/carrier-news.ts';
import { closeDatabase, db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';
import { event, snap } from '../unit/notices/helpers.ts';

let a: TestServer;
let b: TestServer;
let key: string;

const rendered = async (s: TestServer) =>
  ((await (await fetch(`${s.url}/api/health?pages=1`)).json()) as { pages: { queue: { rendered: number; waiting: number } } }).pages.queue;

beforeAll(async () => {
  a = await startTestServer();
  b = await startTestServer({ WAYPOST_DATA_DIR: a.dataDir });
  key = cli<{ apiKey: string }>(a.dataDir, ['stores:create', '--slug', 'twin', '--name', 'Twin Shop']).apiKey;
  useDatabase(a.database);
});
afterAll(async () => {
  await closeDatabase();
  await b?.stop();
  await a?.stop();
});

describe('a change made by the worker, with two portals', () => {
  it('is rendered into the store by exactly one portal before the next read', async () => {
    const body = orderBody({
      number: 'T-1',
      shipments: [{ carrier: 'USPS', trackingCode: 'TWIN0001', items: [{ sku: 'TENT-2P', quantity: 1 }] }],
    });
    const r = await api(a.url, key, 'POST', '/api/v1/orders', body);
    expect(r.status).toBe(201);
    const path = new URL(r.json.trackingUrl as string).pathname;
    await waitUntil(async () => ((await rendered(a)).waiting === 0 && (await rendered(b)).waiting === 0) || undefined);
    const before = [(await rendered(a)).rendered, (await rendered(b)).rendered];

    const s = (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.trackingCode, 'TWIN0001'))))!;
    const at = Date.now();
    await applyCarrierNews({
      storeId: s.storeId,
      shipmentId: s.id,
      snapshot: snap('delivered', [event(at, 'delivered', 'Delivered')]),
      now: at,
    });
    const changes = await db().select().from(schema.pageChanges).where(eq(schema.pageChanges.orderId, s.orderId));
    const last = changes.sort((x, y) => y.seq - x.seq)[0]!;
    const row = await waitUntil(async () => {
      const p = await firstRow(db().select().from(schema.pageStore).where(eq(schema.pageStore.orderId, s.orderId)));
      return p && p.version >= last.seq ? p : undefined;
    });
    expect(row!.body.toString()).toContain('Delivered');
    // Both portals have read the feed by now (each polls every 150 ms): one rendered, the other not.
    await new Promise((res) => setTimeout(res, 600));
    await waitUntil(async () => ((await rendered(a)).waiting === 0 && (await rendered(b)).waiting === 0) || undefined);
    const after = [(await rendered(a)).rendered, (await rendered(b)).rendered];
    expect(after[0]! - before[0]! + (after[1]! - before[1]!)).toBe(1);
    for (const s of [a, b]) expect(await (await fetch(s.url + path)).text()).toContain('Delivered');
  });
});
