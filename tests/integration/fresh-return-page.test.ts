// The shopper's return page in the page store, over real HTTP against the real server and the
// EasyPost emulator: rendered into the store by the render queue after its order's change (or by
// its first read) and
// answered from memory, pre-compressed, with ETag/304 and one entry per `?lang=`; and the next GET
// after each kind of write that changes it shows it: the return approved and its label bought (or
// its purchase failed) by another process, as the `waypost worker` does, a carrier event on the
// return parcel, received and refunded through the API, branding and a policy change. Another
// store's change leaves it; an unknown return link still gets the 404 page. See README, "Fresh pages".
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { closeDatabase, db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { resetConfig } from '../../src/server/config.ts';
import { buyReturnLabel } from '../../src/server/returns/buy-return-label.ts';
import { changeReturn } from '../../src/server/returns/change-return.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { carrierEvent } from '../support/push-journey.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

let server: TestServer;
let emu: Emulator;
let key: string;
let otherKey: string;

interface PageFigures {
  memory: { hits: number; misses: number; pages: number; bytes: number };
  queue: { queued: number; rendered: number; failed: number; waiting: number };
}
const figures = async () => ((await (await fetch(`${server.url}/api/health?pages=1`)).json()) as { pages: PageFigures }).pages;
const rendered = () => waitUntil(async () => (await figures()).queue.waiting === 0 || undefined);
const read = async (path: string) => {
  const r = await fetch(server.url + path);
  expect(r.status).toBe(200);
  return r.text();
};
const storedRows = (pageKey: string) => db().select().from(schema.pageStore).where(eq(schema.pageStore.pageKey, pageKey));
const returnRow = async (id: string) => (await firstRow(db().select().from(schema.returns).where(eq(schema.returns.id, id))))!;
const heading = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

beforeAll(async () => {
  emu = await startEmulator({ autoTick: false });
  // The server and the command line share this process's secret, so the label purchases below can read the store's EasyPost key.
  server = await startTestServer({ EASYPOST_BASE_URL: emu.baseUrl, WAYPOST_SECRET: process.env.WAYPOST_SECRET! });
  const create = (slug: string) =>
    cli<{ apiKey: string }>(
      server.dataDir,
      [
        'stores:create',
        '--slug',
        slug,
        '--name',
        `Store ${slug}`,
        '--easypost-key',
        `EZAK_${slug}_key_1`,
        '--webhook-secret',
        'push-journey-webhook-secret',
      ],
      { WAYPOST_SECRET: process.env.WAYPOST_SECRET! },
    ).apiKey;
  key = create('rpage');
  otherKey = create('rother');
  // Each return waits for a person, and its refund for the store's inspection (so received and refunded are two steps).
  const patch = { returnAddress: RETURN_ADDRESS, policies: { returns: { approval: 'review', refundReleasedOn: 'inspected' } } };
  expect((await api(server.url, key, 'PATCH', '/api/v1/store', patch)).status).toBe(200);
  useDatabase(server.database);
  // This process buys labels as a `waypost worker` would, from the same emulator.
  process.env.EASYPOST_BASE_URL = emu.baseUrl;
  resetConfig();
});
afterAll(async () => {
  delete process.env.EASYPOST_BASE_URL;
  resetConfig();
  await closeDatabase();
  await server?.stop();
  await emu?.close();
});

/** An order delivered yesterday and a return of its tent waiting for review: the return's id, order id and page path. */
async function requestReturn(n: number) {
  const code = `RPAGE${String(n).padStart(6, '0')}`;
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({ number: `RP-${n}`, shipments: [{ carrier: 'USPS', trackingCode: code, items: [{ sku: 'TENT-2P', quantity: 1 }] }] }),
  );
  expect(r.status).toBe(201);
  const orderPath = new URL(r.json.trackingUrl as string).pathname;
  const yesterday = Date.now() - 86_400_000;
  await transaction((tx) =>
    tx
      .update(schema.shipments)
      .set({ status: 'delivered', deliveredAt: yesterday, firstScanAt: yesterday, nextSyncAt: null })
      .where(eq(schema.shipments.trackingCode, code)),
  );
  const fields = {
    key: `return-page-key-${String(n).padStart(8, '0')}`,
    resolution: 'refund',
    'qty[TENT-2P]': '1',
    'reason[TENT-2P]': 'changed_mind',
  };
  expect((await postForm(server.url, `${orderPath}/returns`, fields)).status).toBe(303);
  const order = (await firstRow(
    db()
      .select()
      .from(schema.orders)
      .where(eq(schema.orders.number, `RP-${n}`)),
  ))!;
  const ret = (await firstRow(db().select().from(schema.returns).where(eq(schema.returns.orderId, order.id))))!;
  const list = await api(server.url, key, 'GET', '/api/v1/returns?status=requested');
  const json = (list.json.returns as { id: string; returnUrl: string }[]).find((x) => x.id === ret.id)!;
  return { id: ret.id, orderId: order.id, storeId: order.storeId, path: new URL(json.returnUrl).pathname };
}

/** The label bought (or its purchase failed) in another process, as the `waypost worker`'s returns job does. */
const buyElsewhere = (r: { id: string; storeId: string }) =>
  buyReturnLabel({ storeId: r.storeId, returnId: r.id, owner: 'test-worker', now: Date.now, moved: returnMoved });

/** Staff approve the return, written by another process (this test) into the server's database. */
const approveElsewhere = (r: { id: string; storeId: string }) =>
  changeReturn({
    storeId: r.storeId,
    returnId: r.id,
    to: 'approved',
    note: null,
    actor: { userId: null, label: 'Staff (test)' },
    now: Date.now(),
    moved: returnMoved,
  });

describe('the return page in the page store', () => {
  it('is stored after its first read, tagged with its order, and answered from memory with brotli and an ETag', async () => {
    const r = await requestReturn(1);
    expect(heading(await read(r.path))).toBe('The store is reviewing your return');
    const rows = await storedRows(r.path);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orderId: r.orderId, ownLanguage: true });
    expect(rows[0]!.body.toString()).toContain('The store is reviewing your return');
    const before = await figures();
    const again = await fetch(server.url + r.path, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(again.headers.get('content-encoding')).toBe('br');
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
    expect(await again.text()).toContain('The store is reviewing your return');
    const after = await figures();
    expect(after.memory.hits - before.memory.hits).toBe(1);
    expect(after.memory.misses).toBe(before.memory.misses);
    const etag = again.headers.get('etag')!;
    expect((await fetch(server.url + r.path, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('is rendered into the store after the commit that made the return, so its first read is served from memory', async () => {
    const r = await requestReturn(3);
    await rendered();
    const rows = await waitUntil(async () => {
      const found = await storedRows(r.path);
      return found.length > 0 ? found : undefined;
    });
    expect(rows![0]!.body.toString()).toContain('The store is reviewing your return');
    const before = await figures();
    expect(heading(await read(r.path))).toBe('The store is reviewing your return');
    const after = await figures();
    expect(after.memory.hits - before.memory.hits).toBe(1);
    expect(after.memory.misses).toBe(before.memory.misses);
  });

  it('keeps one entry per ?lang=, and sets the language cookie from memory as Astro does', async () => {
    const r = await requestReturn(2);
    expect(heading(await read(`${r.path}?lang=fr`))).toBe('La boutique examine votre retour');
    const fromMemory = await fetch(`${server.url}${r.path}?lang=fr`);
    expect(fromMemory.headers.get('set-cookie')).toMatch(/^waypost_lang=fr;.*Path=\/rpage/);
    expect(heading(await read(r.path))).toBe('The store is reviewing your return');
    expect((await storedRows(r.path)).map((row) => row.lang).sort()).toEqual(['en', 'fr']);
    await approveElsewhere(r);
    expect(heading(await read(`${r.path}?lang=fr`))).not.toBe('La boutique examine votre retour');
    expect(heading(await read(r.path))).not.toBe('The store is reviewing your return');
  });

  it('an unknown return link still gets the 404 page, and nothing is stored for it', async () => {
    const path = '/rpage/r/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA';
    for (let i = 0; i < 2; i++) {
      const r = await fetch(server.url + path);
      expect(r.status).toBe(404);
      expect(await r.text()).toContain('This address does not lead anywhere');
    }
    expect(await storedRows(path)).toHaveLength(0);
  });
});

describe('every write that can change a return page shows on the next GET', () => {
  let r: Awaited<ReturnType<typeof requestReturn>>;
  beforeAll(async () => {
    r = await requestReturn(10);
    expect(heading(await read(r.path))).toBe('The store is reviewing your return');
  });

  it('approved, then its label bought (both by another process)', async () => {
    await approveElsewhere(r);
    expect(heading(await read(r.path))).toBe('We are preparing your return label');
    expect(await buyElsewhere(r)).toBe('bought');
    const page = await read(r.path);
    expect(heading(page)).toBe('Your return label is ready');
    expect(page).toContain('Download label (PDF)');
    // The label files stay with Astro.
    const pdf = await fetch(`${server.url}${r.path}/label.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('a carrier event on the return parcel', async () => {
    const { trackingCode } = await returnRow(r.id);
    expect(await read(r.path)).not.toContain('in_transit (arrived_at_facility)');
    await carrierEvent(server, 'rpage', trackingCode!, 'in_transit', 'arrived_at_facility', 1);
    const page = await read(r.path);
    expect(page).toContain('in_transit (arrived_at_facility)');
    expect(heading(page)).toBe('On its way back');
  });

  it('received and refunded through the API, re-rendered into the store by the render queue before a read', async () => {
    const received = await api(server.url, key, 'PATCH', `/api/v1/returns/${r.id}`, { status: 'received' });
    expect(received.status).toBe(200);
    expect(received.json.status).toBe('received');
    // The page this server held for the order is rendered again after the commit, nobody reading.
    await rendered();
    const stored = await waitUntil(async () => (await storedRows(r.path)).find((row) => row.ownLanguage));
    expect(stored!.body.toString()).toMatch(/<h1[^>]*>Received<\/h1>/);
    expect(heading(await read(r.path))).toBe('Received');
    expect((await api(server.url, key, 'PATCH', `/api/v1/returns/${r.id}`, { status: 'refunded' })).status).toBe(200);
    expect(await read(r.path)).toContain('Your refund has been released.');
  });

  it('branding', async () => {
    expect(await read(r.path)).not.toContain('--brand:#2a6b3c');
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', { branding: { primaryColor: '#2a6b3c' } })).status).toBe(200);
    expect(await read(r.path)).toContain('--brand:#2a6b3c');
  });

  it('a policy change deletes it in its transaction, and it is rendered again', async () => {
    await read(r.path);
    await rendered();
    const patch = { policies: { returns: { approval: 'review', refundReleasedOn: 'inspected', windowDays: 21 } } };
    const before = (await storedRows(r.path))[0]?.version ?? -1;
    expect((await api(server.url, key, 'PATCH', '/api/v1/store', patch)).status).toBe(200);
    const left = (await storedRows(r.path)).filter((row) => row.version <= before);
    expect(left).toHaveLength(0);
    expect(await read(r.path)).toContain('Your refund has been released.');
  });

  it('another store’s change leaves it stored and answered from memory', async () => {
    await read(r.path);
    await rendered();
    const rows = await storedRows(r.path);
    expect(rows.length).toBeGreaterThan(0);
    expect((await api(server.url, otherKey, 'PATCH', '/api/v1/store', { branding: { primaryColor: '#771122' } })).status).toBe(200);
    const before = await figures();
    expect(await read(r.path)).toContain('--brand:#2a6b3c');
    expect((await figures()).memory.hits - before.memory.hits).toBe(1);
    expect((await storedRows(r.path)).map((row) => row.version)).toEqual(rows.map((row) => row.version));
  });

  it('a label purchase that failed', async () => {
    const failing = await requestReturn(11);
    await approveElsewhere(failing);
    expect(await read(failing.path)).toContain('This takes a few seconds. The page refreshes by itself.');
    emu.inject({ path: '/v2/shipments', method: 'POST', status: 500 });
    expect(await buyElsewhere(failing)).toBe('failed');
    const page = await read(failing.path);
    expect(page).toContain('The carrier did not answer yet.');
    expect(page).not.toContain('This takes a few seconds.');
  });
});
