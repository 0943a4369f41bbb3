// GET/PATCH /api/v1/store and the branding page's logo upload, over real HTTP against the real
// server and its SQLite file: validation, audit, policy versions, shopper pages, stores kept apart.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from '../fixtures/factories.ts';
import { makePng } from '../fixtures/images.ts';
import { db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { api, cli } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let keyA: string;
let keyB: string;
let orderPage: string;
let cookie: string;
let staffCookie: string;
const OWNER = { email: 'owner@alpha.example', password: 'juniper-lantern-42-river' };
const STAFF = { email: 'staff@alpha.example', password: 'copper-meadow-17-harbor' };

// The server's database, read through the same client (db() reads committed data only).
const storeId = async (slug: string) =>
  (await firstRow(db().select({ id: schema.stores.id }).from(schema.stores).where(eq(schema.stores.slug, slug))))!.id;
const auditOf = async (storeSlug: string) =>
  db()
    .select()
    .from(schema.auditLog)
    .where(eq(schema.auditLog.storeId, await storeId(storeSlug)));
const auditBy = (action: string, actor: string) =>
  db()
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.action, action), eq(schema.auditLog.actor, actor)));
const policyVersionsOf = async (storeSlug: string) =>
  db()
    .select()
    .from(schema.policyVersions)
    .where(eq(schema.policyVersions.storeId, await storeId(storeSlug)))
    .orderBy(asc(schema.policyVersions.version));
const assetCount = async () => (await db().select().from(schema.storeAssets)).length;

beforeAll(async () => {
  server = await startTestServer();
  useDatabase(server.database);
  keyA = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'alpha', '--name', 'Alpha Goods']).apiKey;
  keyB = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'beta', '--name', 'Beta Goods']).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'alpha', '--email', OWNER.email, '--role', 'owner'], {
    WAYPOST_PASSWORD: OWNER.password,
  });
  const order = await api(server.url, keyA, 'POST', '/api/v1/orders', orderBody({ number: 'S-1' }));
  orderPage = order.json.trackingUrl.replace(/^http:\/\/localhost:\d+/, server.url);
  cli(server.dataDir, ['users:create', '--store', 'alpha', '--email', STAFF.email, '--role', 'staff'], {
    WAYPOST_PASSWORD: STAFF.password,
  });
  cookie = await signIn(OWNER);
  staffCookie = await signIn(STAFF);
});

async function signIn(who: { email: string; password: string }): Promise<string> {
  const r = await fetch(`${server.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams(who).toString(),
  });
  expect(r.status).toBe(303);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}
afterAll(() => server?.stop());

describe('GET /api/v1/store', () => {
  it('answers the store’s branding, policies (delays, returns, reviews) and return address', async () => {
    const r = await api(server.url, keyA, 'GET', '/api/v1/store');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual([
      'branding',
      'copy',
      'customers',
      'defaultLanguage',
      'notifications',
      'policies',
      'policyVersion',
      'returnAddress',
    ]);
    expect(r.json.policies.delays).toEqual({
      timeZone: 'UTC',
      processingDays: 2,
      transitDays: 5,
      delayGraceDays: 1,
      stalledScanHours: 72,
      notScannedHours: 48,
    });
    expect(r.json.policies.returns.windowDays).toBe(30);
    expect(r.json.policies.reviews.requestDelayDays).toBe(5);
    expect(r.json.returnAddress).toBeNull();
    expect(r.json.policyVersion).toBe(1);
  });

  it('needs a key', async () => {
    expect((await api(server.url, null, 'GET', '/api/v1/store')).status).toBe(401);
    expect((await api(server.url, null, 'PATCH', '/api/v1/store', {})).status).toBe(401);
  });
});

describe('PATCH /api/v1/store', () => {
  it('refuses bad fields with 422 problem+json and a pointer each, and changes nothing', async () => {
    const before = await api(server.url, keyA, 'GET', '/api/v1/store');
    const auditBefore = (await auditOf('alpha')).length;
    const r = await api(server.url, keyA, 'PATCH', '/api/v1/store', {
      branding: { accentColor: 'orange', supportEmail: 'nope' },
      policies: { returns: { windowDays: 400, approval: 'maybe' }, reviews: { holdDays: 9 }, shipping: {} },
      returnAddress: { name: 'Returns' },
    });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.json).toMatchObject({
      type: 'about:blank',
      title: 'Unprocessable content',
      status: 422,
      detail: 'The store settings were not changed',
    });
    expect((r.json.errors as { pointer: string }[]).map((e) => e.pointer).sort()).toEqual(
      [
        '/branding/accentColor',
        '/branding/supportEmail',
        '/policies/returns/windowDays',
        '/policies/returns/approval',
        '/policies/reviews/holdDays',
        '/policies/shipping',
        '/returnAddress/street1',
        '/returnAddress/city',
        '/returnAddress/postalCode',
        '/returnAddress/country',
      ].sort(),
    );
    expect((await api(server.url, keyA, 'GET', '/api/v1/store')).json).toEqual(before.json);
    expect(await auditOf('alpha')).toHaveLength(auditBefore);
    expect(await policyVersionsOf('alpha')).toEqual([]);
  });

  it('refuses a body that is not a JSON object, or not JSON', async () => {
    const list = await api(server.url, keyA, 'PATCH', '/api/v1/store', [1, 2]);
    expect(list.status).toBe(422);
    expect(list.json.errors).toEqual([{ pointer: '', detail: 'send a JSON object' }]);
    expect(
      (await api(server.url, keyA, 'PATCH', '/api/v1/store', 'x=1', { 'content-type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
  });

  it('applies a partial change, audits it as the API key, and makes a new policy version', async () => {
    const address = { name: 'Alpha Returns', street1: '9 Dock Rd', city: 'Portland', state: 'OR', postalCode: '97201', country: 'US' };
    const r = await api(
      server.url,
      keyA,
      'PATCH',
      '/api/v1/store',
      { policies: { returns: { windowDays: 45, resolutions: { exchange: true } } }, returnAddress: address },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(r.status).toBe(200);
    expect(r.json.policyVersion).toBe(2);
    expect(r.json.policies.returns.windowDays).toBe(45);
    expect(r.json.policies.returns.resolutions).toEqual({ refund: true, storeCredit: true, storeCreditBonusPercent: 0, exchange: true });
    expect(r.json.returnAddress).toEqual(address);
    expect((await api(server.url, keyA, 'GET', '/api/v1/store')).json).toEqual(r.json);

    const [entry] = (await auditOf('alpha')).filter((e) => e.action === 'policies.updated');
    expect(entry!.actor).toBe(`API key ${keyA.slice(0, 7)}…`);
    expect(entry!.userId).toBeNull();
    expect(entry!.detail).toEqual({
      version: 2,
      changes: [
        { field: 'policies.returns.windowDays', from: 30, to: 45 },
        { field: 'policies.returns.resolutions.exchange', from: false, to: true },
        { field: 'returnAddress', from: null, to: address },
      ],
    });
    const versions = await policyVersionsOf('alpha');
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((versions[0]!.policies as { returns: { windowDays: number } }).returns.windowDays).toBe(30);
    expect((versions[1]!.policies as { returns: { windowDays: number } }).returns.windowDays).toBe(45);
    expect(versions[1]!.createdBy).toBe(`API key ${keyA.slice(0, 7)}…`);
  });

  it('a branding change shows on the shopper’s (cached) order page at once, and makes no policy version', async () => {
    const first = await (await fetch(orderPage)).text();
    expect(first).toContain('--brand:#1f5f99');
    const r = await api(server.url, keyA, 'PATCH', '/api/v1/store', {
      branding: { primaryColor: '#0a7d4f', orderNote: 'Packed by hand in Portland.' },
    });
    expect(r.status).toBe(200);
    expect(r.json.policyVersion).toBe(2);
    const after = await (await fetch(orderPage)).text();
    expect(after).toContain('--brand:#0a7d4f');
    expect(after).toContain('Packed by hand in Portland.');
  });

  it('another store’s key neither sees nor changes this store', async () => {
    const b = await api(server.url, keyB, 'GET', '/api/v1/store');
    expect(b.json.policies.returns.windowDays).toBe(30);
    expect(b.json.branding.primaryColor).toBe('#1f5f99');
    expect(b.json.returnAddress).toBeNull();
    const changed = await api(server.url, keyB, 'PATCH', '/api/v1/store', { policies: { returns: { windowDays: 10 } } });
    expect(changed.json.policyVersion).toBe(2);
    const a = await api(server.url, keyA, 'GET', '/api/v1/store');
    expect(a.json.policies.returns.windowDays).toBe(45);
    expect(a.json.branding.primaryColor).toBe('#0a7d4f');
  });
});

describe('the branding page’s logo upload', () => {
  async function upload(file: Blob, name: string) {
    const form = new FormData();
    form.append('intent', 'save');
    form.append('primaryColor', '#0a7d4f');
    form.append('accentColor', '#b3541e');
    form.append('font', 'system');
    form.append('logo', file, name);
    return fetch(`${server.url}/admin/branding`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: server.url },
      body: form,
    });
  }

  it.each([
    [
      'a PNG with a <script> appended',
      new Blob([new Uint8Array(makePng()), '<script>alert(document.cookie)</script>'], { type: 'image/png' }),
      'logo.png',
      'extra data after the image',
    ],
    [
      'an SVG renamed .png',
      new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], { type: 'image/png' }),
      'logo.png',
      'SVG files are not accepted',
    ],
    [
      'an HTML page renamed .jpg',
      new Blob(['<!doctype html><script>alert(1)</script>'], { type: 'image/jpeg' }),
      'logo.jpg',
      'not a PNG, JPEG or WebP',
    ],
  ])('refuses %s: the form again, the reason next to the field, nothing saved', async (_label, blob, name, message) => {
    const before = await assetCount();
    const r = await upload(blob, name);
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain(message);
    expect(html).toMatch(/<input[^>]*id="logo"[^>]*aria-describedby="logo-hint logo-error"[^>]*aria-invalid="true"/);
    expect(await assetCount()).toBe(before);
  });

  it('re-serves an accepted logo from our origin as the image type its content proved, never sniffed, cached by its hash', async () => {
    const png = makePng(2, 2, [{ type: 'tEXt', data: Buffer.from('Comment\0<html><script>alert(1)</script></html>') }]);
    const r = await upload(new Blob([new Uint8Array(png)], { type: 'text/html' }), 'page.html');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/branding?saved=1');
    const page = await (await fetch(orderPage)).text();
    const src = /<img src="(\/assets\/[0-9a-f]{32}\.png)" alt="Alpha Goods"/.exec(page)?.[1];
    expect(src).toBeDefined();

    const asset = await fetch(server.url + src);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('image/png');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect(asset.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.compare(Buffer.from(await asset.arrayBuffer()), png)).toBe(0);
    const again = await fetch(server.url + src, { headers: { 'if-none-match': asset.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(server.url + src!.replace('.png', '.svg'))).status).toBe(404);

    const [entry] = await auditBy('branding.updated', OWNER.email);
    expect(entry!.detail!.changes).toContainEqual({ field: 'branding.logoUrl', from: null, to: src });
  });

  it('lets staff edit the branding too (it is content), audited under their name', async () => {
    const form = new FormData();
    form.append('intent', 'save');
    form.append('primaryColor', '#0a7d4f');
    form.append('accentColor', '#b3541e');
    form.append('font', 'serif');
    form.append('orderNote', 'Staff wrote this note.');
    const r = await fetch(`${server.url}/admin/branding`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: staffCookie, origin: server.url },
      body: form,
    });
    expect(r.status).toBe(303);
    expect((await api(server.url, keyA, 'GET', '/api/v1/store')).json.branding).toMatchObject({
      font: 'serif',
      orderNote: 'Staff wrote this note.',
    });
    const [entry] = await auditBy('branding.updated', STAFF.email);
    expect(entry!.detail!.changes).toContainEqual({ field: 'branding.font', from: 'system', to: 'serif' });
  });

  it('refuses the same form posted from another site', async () => {
    const form = new FormData();
    form.append('intent', 'save');
    form.append('primaryColor', '#000000');
    const r = await fetch(`${server.url}/admin/branding`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: 'https://evil.example' },
      body: form,
    });
    expect(r.status).toBe(403);
  });
});

describe('the policies page', () => {
  /** The policies form as the page renders it for the store now, with some fields changed. */
  async function policiesForm(who: string, change: Record<string, string>) {
    const html = await (await fetch(`${server.url}/admin/policies`, { headers: { cookie: who } })).text();
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input([^>]*)>/g)) {
      const attr = (n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(m[1]!)?.[1];
      const name = attr('name');
      if (!name) continue;
      const type = attr('type') ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !/\schecked/.test(m[1]!)) continue;
      fields.append(name, (attr('value') ?? '').replace(/&amp;/g, '&'));
    }
    for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g)) fields.append(m[1]!, m[2]!);
    for (const [k, v] of Object.entries(change)) fields.set(k, v);
    return fields;
  }
  const post = (who: string, fields: URLSearchParams) =>
    fetch(`${server.url}/admin/policies`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: who, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });

  it('re-shows a refused form with the message next to the field, and saves nothing', async () => {
    const before = (await api(server.url, keyA, 'GET', '/api/v1/store')).json;
    const r = await post(cookie, await policiesForm(cookie, { 'returns.windowDays': '0' }));
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toMatch(/<input[^>]*id="returns-windowDays"[^>]*aria-describedby="returns-windowDays-error"[^>]*aria-invalid="true"/);
    expect(html).toContain('a whole number from 1 to 365');
    expect((await api(server.url, keyA, 'GET', '/api/v1/store')).json).toEqual(before);
  });

  it('saves the owner’s change as the next policy version, exactly as the API would see it', async () => {
    const r = await post(cookie, await policiesForm(cookie, { 'returns.windowDays': '60', 'reviews.requestDelayDays': '7' }));
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/policies?saved=3');
    const after = (await api(server.url, keyA, 'GET', '/api/v1/store')).json;
    expect(after.policyVersion).toBe(3);
    expect(after.policies.returns.windowDays).toBe(60);
    expect(after.policies.reviews.requestDelayDays).toBe(7);
    // Everything else the form carried back is unchanged (reasons, address, delays).
    expect(after.policies.returns.reasons).toHaveLength(8);
    expect(after.returnAddress?.city).toBe('Portland');
    expect(after.policies.delays.timeZone).toBe('UTC');
    const [entry] = await auditBy('policies.updated', OWNER.email);
    expect(entry!.detail!.changes).toEqual([
      { field: 'policies.returns.windowDays', from: 45, to: 60 },
      { field: 'policies.reviews.requestDelayDays', from: 5, to: 7 },
    ]);
  });

  it('shows staff the policies read-only and refuses their post', async () => {
    const page = await (await fetch(`${server.url}/admin/policies`, { headers: { cookie: staffCookie } })).text();
    expect(page).toContain('Only the store’s owner can change policies');
    expect(page).toMatch(/<fieldset class="plain" disabled/);
    const r = await post(staffCookie, await policiesForm(cookie, { 'returns.windowDays': '5' }));
    expect(r.status).toBe(403);
    expect((await api(server.url, keyA, 'GET', '/api/v1/store')).json.policies.returns.windowDays).toBe(60);
  });
});
