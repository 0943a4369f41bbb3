// The shopper's return over real HTTP: the steps, errors next to their fields, 20 concurrent
// confirmations with one key (one return, one label bought), a refused return (422, nothing
// created), the return page with its label files, and the order page listing the return.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { closeDatabase, db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { orderBody } from '../fixtures/factories.ts';
import { makePng } from '../fixtures/images.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

let server: TestServer;
let emu: Emulator;
let key: string;
let orderPath: string;
/** The return page of the concurrent confirmations, with its bought label. */
let labelPage: string;

beforeAll(async () => {
  emu = await startEmulator({ autoTick: false });
  server = await startTestServer({ EASYPOST_BASE_URL: emu.baseUrl });
  key = cli<{ apiKey: string }>(server.dataDir, [
    'stores:create',
    '--slug',
    'shop',
    '--name',
    'Shop',
    '--easypost-key',
    'EZAK_shop_key_1',
    '--webhook-secret',
    's3cret',
  ]).apiKey;
  expect((await api(server.url, key, 'PATCH', '/api/v1/store', { returnAddress: RETURN_ADDRESS })).status).toBe(200);
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({
      number: 'A-1',
      shipments: [
        {
          carrier: 'USPS',
          trackingCode: '9400111100000000000001',
          items: [
            { sku: 'TENT-2P', quantity: 1 },
            { sku: 'MUG', quantity: 2 },
          ],
        },
      ],
    }),
  );
  orderPath = new URL(r.json.trackingUrl).pathname;
  // The carrier delivered it yesterday (written straight into the server's database file).
  useDatabase(server.database);
  const yesterday = Date.now() - 86_400_000;
  await transaction((tx) =>
    tx.update(schema.shipments).set({ status: 'delivered', deliveredAt: yesterday, firstScanAt: yesterday - 86_400_000, nextSyncAt: null }),
  );
});
afterAll(async () => {
  await closeDatabase();
  await server?.stop();
  await emu?.close();
});

const get = (path: string) => fetch(server.url + path, { redirect: 'manual' });
const returnsCount = async () => (await db().select().from(schema.returns)).length;

describe('starting a return', () => {
  it('step 1 lists each item with whether and until when it can be returned, under the policy version', async () => {
    const r = await get(`${orderPath}/returns/new`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Two-person tent');
    expect(html).toMatch(/Can be returned until \w+day/);
    expect(html).toContain('name="qty[TENT-2P]"');
    expect(html).toMatch(/aria-current="step"[^>]*>\s*Choose items/);
    expect(html).toMatch(/policy, version \d+/);
  });

  it('step 2 shows errors next to their fields, then the summary with fees and the refund promise', async () => {
    const bad = await (await get(`${orderPath}/returns/new?step=2&key=aaaaaaaaaaaaaaaaaaaa&resolution=refund&qty%5BTENT-2P%5D=1`)).text();
    expect(bad).toContain('Choose a reason.');
    expect(bad).toMatch(/aria-describedby="reason-err-0"/);
    const ok = await (
      await get(
        `${orderPath}/returns/new?step=2&key=aaaaaaaaaaaaaaaaaaaa&resolution=store_credit&qty%5BTENT-2P%5D=1&reason%5BTENT-2P%5D=too_small`,
      )
    ).text();
    expect(ok).toContain('Confirm return');
    expect(ok).toContain('Your store credit is issued when your parcel reaches the store.');
    expect(ok).toContain('$249.00');
  });

  it('a refused return answers 422 saying why and creates nothing', async () => {
    const before = await returnsCount();
    const r = await postForm(server.url, `${orderPath}/returns`, {
      key: 'refused-key-000000001',
      resolution: 'refund',
      'qty[TENT-2P]': '5',
      'reason[TENT-2P]': 'too_small',
    });
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('You can return at most 1 of this item.');
    expect(await returnsCount()).toBe(before);
  });
});

describe('confirming', () => {
  it('20 concurrent confirmations with one key: one return, one label, the same page for all', async () => {
    const fields = { key: 'concurrent-key-00000000001', resolution: 'store_credit', 'qty[MUG]': '1', 'reason[MUG]': 'changed_mind' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => postForm(server.url, `${orderPath}/returns`, fields)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(303));
    const locations = new Set(answers.map((a) => a.headers.get('location')));
    expect(locations.size).toBe(1);
    labelPage = [...locations][0]!;
    expect((await db().select().from(schema.returns).where(eq(schema.returns.idempotencyKey, fields.key))).length).toBe(1);
    expect(emu.calls.filter((c) => c.method === 'POST' && /\/buy$/.test(c.path))).toHaveLength(1);

    const page = await (await get([...locations][0]!)).text();
    expect(page).toContain('Your return label is ready');
    expect(page).toContain('Download label (PDF)');
    expect(page).toContain('Show this code at the post office');
    const pdf = await get(`${[...locations][0]!}/label.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const png = await get(`${[...locations][0]!}/label.png`);
    expect(png.headers.get('content-type')).toBe('image/png');

    const order = await (await get(orderPath)).text();
    expect(order).toContain('Start a return');
    expect(order).toContain('Return of 1 × Camp mug');
    // The return parcel is not an outbound parcel on the order page.
    const ret = await firstRow(db().select().from(schema.returns).where(eq(schema.returns.idempotencyKey, fields.key)));
    expect(order).not.toContain(ret!.trackingCode!);
  });

  it('offers no return before anything has arrived', async () => {
    const r = await api(
      server.url,
      key,
      'POST',
      '/api/v1/orders',
      orderBody({
        number: 'A-2',
        shipments: [{ carrier: 'USPS', trackingCode: '9400111100000000000002', items: [{ sku: 'TENT-2P', quantity: 1 }] }],
      }),
    );
    // Scanned by the carrier and on its way, not delivered (written before the page is first rendered).
    await transaction((tx) =>
      tx
        .update(schema.shipments)
        .set({ status: 'in_transit', firstScanAt: Date.now() - 3_600_000 })
        .where(eq(schema.shipments.trackingCode, '9400111100000000000002')),
    );
    const page = await (await get(new URL(r.json.trackingUrl).pathname)).text();
    expect(page).toContain('In transit');
    expect(page).toContain('Tracking number');
    expect(page).not.toContain('Start a return');
    expect(page).not.toContain('can be returned right now');
  });

  it('a tampered return link is a 404', async () => {
    const r = await get('/shop/r/AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA');
    expect(r.status).toBe(404);
  });
});

describe('a reason that needs a photo', () => {
  const post = (photo: Blob | null) => {
    const form = new FormData();
    const fields = {
      key: `photo-key-${Math.random().toString(36).slice(2, 14)}`,
      resolution: 'refund',
      'qty[TENT-2P]': '1',
      'reason[TENT-2P]': 'damaged',
    };
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (photo) form.set('photo[TENT-2P]', photo, 'tent.png');
    return fetch(`${server.url}${orderPath}/returns`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: server.url } });
  };

  it('is refused without a photo, and with a file that is not an image; nothing is created', async () => {
    const before = await returnsCount();
    const none = await post(null);
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('Please add a photo of the item.');
    const fake = await post(new Blob(['<svg onload="alert(1)"></svg>'], { type: 'image/png' }));
    expect(fake.status).toBe(422);
    expect(await fake.text()).toContain('The photo was not accepted');
    expect(await returnsCount()).toBe(before);
  });

  it('is accepted with a real image, checked by its bytes and kept with the item', async () => {
    const r = await post(new Blob([new Uint8Array(makePng(4, 4))], { type: 'image/png' }));
    expect(r.status).toBe(303);
    const items = await db().select().from(schema.returnItems).where(eq(schema.returnItems.sku, 'TENT-2P'));
    expect(items.some((i) => i.reason === 'damaged' && i.photoAssetId)).toBe(true);
  });
});

describe('a label the carrier cannot give', () => {
  it('says so as plain text (502) in the shopper’s language', async () => {
    const ret = (await firstRow(
      db().select().from(schema.returns).where(eq(schema.returns.idempotencyKey, 'concurrent-key-00000000001')),
    ))!;
    // The stored carrier URLs: one where nothing answers, one the carrier refuses.
    await transaction((tx) =>
      tx
        .update(schema.returns)
        .set({ labelPdfUrl: 'http://127.0.0.1:9/label.pdf', labelPngUrl: `${emu.baseUrl}/no-such-label.png` })
        .where(eq(schema.returns.id, ret.id)),
    );
    const silent = await get(`${labelPage}/label.pdf?lang=de`);
    expect(silent.status).toBe(502);
    expect(await silent.text()).toBe('Der Versanddienst hat nicht geantwortet. Bitte versuchen Sie es gleich noch einmal.');
    const refused = await get(`${labelPage}/label.png?lang=fr`);
    expect(refused.status).toBe(502);
    expect(await refused.text()).toBe(
      'Le transporteur ne peut pas fournir l’étiquette pour le moment. Veuillez réessayer dans un instant.',
    );
    const english = await get(`${labelPage}/label.png?lang=en`);
    expect(await english.text()).toBe('The carrier could not give the label right now. Please try again in a moment.');
  });
});
