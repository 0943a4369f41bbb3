// The back office's products page over real HTTP: the catalogue the API wrote, and a product's form
// saving what follows the sale through the API's own validation (a bad field is a 422 beside it,
// nothing saved), audited; another store's product is a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'admin-products-password-2026';
let server: TestServer;
let cookie: string;
let apiKey: string;

const page = (path: string, init: RequestInit = {}) =>
  fetch(server.url + path, { ...init, redirect: 'manual', headers: { cookie, origin: server.url, ...(init.headers ?? {}) } });
const save = (productId: string, fields: Record<string, string>) =>
  page(`/admin/products/${productId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const product = async (productId: string) => {
  const row = await firstRow(db().select().from(schema.products).where(eq(schema.products.productId, productId)));
  const variants = await db().select().from(schema.productVariants).where(eq(schema.productVariants.productRowId, row!.id));
  return { ...row!, variants: variants.map((v) => [v.sku, v.available]) };
};

beforeAll(async () => {
  server = await startTestServer();
  useDatabase(server.database);
  const key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'gear', '--name', 'Gear']).apiKey;
  apiKey = key;
  const other = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'other', '--name', 'Other']).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'gear', '--email', 'staff@gear.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  const tent = {
    title: 'Two-person tent',
    url: 'https://gear.example/tent',
    variants: [
      { sku: 'TENT-G', title: 'Green', available: true },
      { sku: 'TENT-B', title: 'Blue', available: false },
    ],
  };
  expect((await api(server.url, key, 'PUT', '/api/v1/products/TENT', tent)).status).toBe(201);
  expect(
    (
      await api(server.url, key, 'PUT', '/api/v1/products/STAKES', {
        title: 'Tent stakes',
        variants: [{ sku: 'STK', title: 'Set of 8', available: true }],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await api(server.url, other, 'PUT', '/api/v1/products/SECRET', {
        title: 'Other store’s lamp',
        variants: [{ sku: 'L', title: 'L', available: true }],
      })
    ).status,
  ).toBe(201);
  const r = await postForm(server.url, '/admin/login', { email: 'staff@gear.example', password: PASSWORD });
  cookie = /wp_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
}, 120_000);
afterAll(() => server?.stop());

describe('/admin/products', () => {
  it('lists the store’s own products with what follows the sale', async () => {
    const html = await (await page('/admin/products')).text();
    expect(html).toContain('Two-person tent');
    expect(html).toContain('Tent stakes');
    expect(html).toContain('1 of 2');
    expect(html).not.toContain('Other store’s lamp');
    expect((await page('/admin/products/SECRET')).status).toBe(404);
  });

  it('saves a care guide, warranty, lifetime, suggestions and availability, audited', async () => {
    const r = await save('TENT', {
      title: 'Two-person tent',
      url: 'https://gear.example/tent',
      imageUrl: '',
      'variants.1.available': '1',
      'careGuide.title': 'Pitching and drying',
      'careGuide.body': 'Pitch it once at home.\n\nDry it before packing.',
      'careGuide.url': 'https://gear.example/tent/care',
      warrantyMonths: '24',
      replenishAfterDays: '',
      related: 'STAKES, TENT',
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/products?saved=Two-person%20tent');
    const saved = await product('TENT');
    expect(saved).toMatchObject({
      careGuide: {
        title: 'Pitching and drying',
        body: 'Pitch it once at home.\n\nDry it before packing.',
        url: 'https://gear.example/tent/care',
      },
      warrantyMonths: 24,
      replenishAfterDays: null,
      related: ['STAKES'],
    });
    expect(saved.variants).toEqual([
      ['TENT-G', false],
      ['TENT-B', true],
    ]);
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.action, 'product.updated'), eq(schema.auditLog.actor, 'staff@gear.example')));
    expect(audit.map((a) => a.detail)).toEqual([{ productId: 'TENT' }]);
    const form = await (await page('/admin/products/TENT')).text();
    expect(form).toContain('Pitching and drying');
    expect(form).toContain('value="STAKES"');
  });

  it('refuses bad fields beside them and saves nothing', async () => {
    const before = await product('STAKES');
    const r = await save('STAKES', {
      title: 'Tent stakes',
      'careGuide.title': 'Care',
      'careGuide.body': '',
      'careGuide.url': 'http://gear.example/care',
      warrantyMonths: '0',
      replenishAfterDays: 'soon',
      related: 'ok, not an id!',
    });
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain('The product was not saved');
    for (const id of ['careGuide-body', 'careGuide-url', 'warrantyMonths', 'replenishAfterDays', 'related'])
      expect(html).toContain(`href="#${id}"`);
    expect(html).toContain('value="soon"');
    expect(await product('STAKES')).toEqual(before);
  });

  it('leaves the order pages alone when the shop sends a product again unchanged, and drops them when it changed', async () => {
    const changes = async () => (await db().select().from(schema.pageChanges)).length;
    const stakes = { title: 'Tent stakes', variants: [{ sku: 'STK', title: 'Set of 8', available: true }] };
    const before = await changes();
    const same = await api(server.url, apiKey, 'PUT', '/api/v1/products/STAKES', stakes);
    expect(same.status).toBe(200);
    expect(same.json).toMatchObject({ productId: 'STAKES', title: 'Tent stakes', related: [] });
    expect(await changes()).toBe(before);
    const changed = await api(server.url, apiKey, 'PUT', '/api/v1/products/STAKES', {
      ...stakes,
      variants: [{ ...stakes.variants[0], available: false }],
    });
    expect(changed.status).toBe(200);
    expect(await changes()).toBe(before + 1);
  });
});
