// The store's own wording in the back office over real HTTP: a language's standard messages beside
// the store's; a saved text shows on the shopper's order page at once; a text with a wrong
// placeholder or broken ICU is refused beside its message with nothing saved; emptying a box
// restores the standard wording; the preview shows unsaved wording and saves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const PASSWORD = 'copy-editor-password-2026';
let server: TestServer;
let key: string;
let cookie: string;
let orderPage: string;

const page = (path: string, init: RequestInit = {}) =>
  fetch(server.url + path, { ...init, redirect: 'manual', headers: { cookie, origin: server.url, ...(init.headers ?? {}) } });
const post = (path: string, fields: Record<string, string>) =>
  page(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const storeCopy = async () => (await api(server.url, key, 'GET', '/api/v1/store')).json.copy;

beforeAll(async () => {
  server = await startTestServer();
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'wort', '--name', 'Wortladen']).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'wort', '--email', 'staff@wort.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  const r = await api(server.url, key, 'POST', '/api/v1/orders', orderBody({ number: 'W-1', locale: 'de-DE' }));
  orderPage = new URL(r.json.trackingUrl).pathname;
  const login = await postForm(server.url, '/admin/login', { email: 'staff@wort.example', password: PASSWORD });
  cookie = /wp_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
}, 120_000);
afterAll(() => server?.stop());

describe('/admin/copy', () => {
  it('shows a language’s standard messages of an area, ready to be put in the store’s words', async () => {
    const html = await (await page('/admin/copy?lang=de&area=order')).text();
    expect(html).toContain('Bestellung #{number} · bestellt am {date}');
    expect(html).toContain('name="copy.order.lede"');
    expect(html).toMatch(/href="\/admin\/copy\?lang=ar&amp;area=order"/);
  });

  it('saves the store’s own text, which the shopper’s order page shows at once', async () => {
    expect(await (await fetch(server.url + orderPage)).text()).toContain('bestellt am');
    const r = await post('/admin/copy', { lang: 'de', area: 'order', 'copy.order.lede': 'Ihre Bestellung #{number} vom {date} bei uns' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/copy?lang=de&area=order&saved=1');
    expect(await storeCopy()).toEqual({ de: { 'order.lede': 'Ihre Bestellung #{number} vom {date} bei uns' } });
    const shopper = await (await fetch(server.url + orderPage)).text();
    expect(shopper).toContain('Ihre Bestellung #W-1 vom');
    expect(shopper).not.toContain('bestellt am');
    // English shoppers keep the standard wording.
    expect(await (await fetch(`${server.url}${orderPage}?lang=en`)).text()).toContain('Order #W-1 · placed');
  });

  it('refuses a text that drops a placeholder or is not valid ICU, beside it, and saves nothing', async () => {
    const r = await post('/admin/copy', {
      lang: 'de',
      area: 'order',
      'copy.order.lede': 'Ihre Bestellung vom {date}',
      'copy.order.title': 'Bestellung {number · {store}',
    });
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain('The wording was not saved');
    expect(html).toContain('leaves out {number}');
    expect(html).toContain('not valid ICU MessageFormat');
    expect(html).toContain('href="#copy-order-lede"');
    expect(html).toContain('Ihre Bestellung vom {date}</textarea>');
    expect(await storeCopy()).toEqual({ de: { 'order.lede': 'Ihre Bestellung #{number} vom {date} bei uns' } });
  });

  it('previews unsaved wording on an order page without saving it', async () => {
    const r = await post('/admin/copy/preview', {
      intent: 'preview',
      lang: 'de',
      area: 'order',
      'copy.order.lede': 'Vorschau #{number} am {date}',
    });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Preview with your unsaved wording');
    expect(html).toContain('Vorschau #W-1 am');
    expect(html).toContain('lang="de"');
    expect(await storeCopy()).toEqual({ de: { 'order.lede': 'Ihre Bestellung #{number} vom {date} bei uns' } });
  });

  it('goes back to the standard wording when the box is emptied', async () => {
    const r = await post('/admin/copy', { lang: 'de', area: 'order', 'copy.order.lede': '' });
    expect(r.status).toBe(303);
    expect(await storeCopy()).toEqual({ de: {} });
    expect(await (await fetch(server.url + orderPage)).text()).toContain('bestellt am');
  });
});
