// The wording editor's email preview over real HTTP: any kind of email for one of the store's real
// orders, with unsaved wording; "Send a test to me" reaches the signed-in staff member's own
// address (a real SMTP server here), marked [Test], while the shopper gets nothing and the message
// ledger stays as it was. Cross-site posts are refused; another store's order is a 404; test sends
// are rate-limited.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';

const PASSWORD = 'email-preview-password-2026';
let server: TestServer;
let smtp: SmtpSink;
let cookie: string;
let key: string;

const page = (path: string, init: RequestInit = {}, origin = server.url) =>
  fetch(server.url + path, { ...init, redirect: 'manual', headers: { cookie, origin, ...(init.headers ?? {}) } });
const post = (path: string, fields: Record<string, string>, origin?: string) =>
  page(
    path,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() },
    origin,
  );
const ledger = async () => db().select().from(schema.messages);

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'vorschau', '--name', 'Vorschau Laden']).apiKey;
  const other = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'fremd', '--name', 'Fremd']).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'vorschau', '--email', 'staff@vorschau.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  for (const [k, number, email] of [
    [key, 'V-1', 'shopper@example.com'],
    [key, 'V-2', 'second@example.com'],
    [other, 'F-9', 'foreign@example.com'],
  ] as const) {
    const r = await api(
      server.url,
      k,
      'POST',
      '/api/v1/orders',
      orderBody({
        number,
        email,
        locale: 'de-DE',
        shipments: [{ carrier: 'USPS', trackingCode: `PREV${number}`, items: [{ sku: 'TENT-2P', quantity: 1 }] }],
      }),
    );
    expect(r.status, r.text).toBe(201);
  }
  const login = await postForm(server.url, '/admin/login', { email: 'staff@vorschau.example', password: PASSWORD });
  cookie = /wp_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  useDatabase(server.database);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

describe('/admin/copy/email', () => {
  it('previews each kind for a recent order of the store, subject, text and HTML, in the order’s language', async () => {
    const r = await page('/admin/copy/email?kind=shipped&order=V-1');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('>Ihre Bestellung #V-1 wurde versandt<');
    expect(html).toMatch(/<option value="V-2"[^>]*>#V-2/); // the recent orders to pick from
    expect(html).not.toContain('F-9');
    expect(html).toContain('src="/admin/copy/email/html?kind=shipped&amp;order=V-1"');
    const frame = await page('/admin/copy/email/html?kind=shipped&order=V-1');
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-security-policy')).toMatch(/^sandbox;/);
    expect(await frame.text()).toContain('PREVV-1');
    for (const kind of ['order_confirmed', 'delivered', 'delayed', 'review_invitation', 'replenishment']) {
      const k = await page(`/admin/copy/email?kind=${kind}&order=V-1&lang=en`);
      expect(k.status, kind).toBe(200);
      expect(await k.text(), kind).toContain('data-testid="preview-subject"');
    }
  });

  it('shows the editor’s unsaved wording, in the page and in the frame, and saves nothing', async () => {
    const r = await post('/admin/copy/email', {
      lang: 'en',
      area: 'email',
      kind: 'shipped',
      order: 'V-1',
      'copy.email.shippedSubject': 'On its way: order #{number}',
    });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('>On its way: order #V-1<');
    const src = /src="(\/admin\/copy\/email\/html\?[^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
    expect(src).toContain('patch=');
    expect(await (await page(src)).text()).toContain('On its way: order #V-1');
    // The same unsaved English texts do not leak into the German preview.
    const patch = new URL(server.url + src).searchParams.get('patch')!;
    const german = await post('/admin/copy/email', { kind: 'shipped', order: 'V-1', lang: 'de', patch });
    expect(await german.text()).toContain('>Ihre Bestellung #V-1 wurde versandt<');
    const store = await api(server.url, key, 'GET', '/api/v1/store');
    expect(store.json.copy).toEqual({});
  });

  it('sends a test to the staff member only, marked [Test]; the shopper gets nothing and the ledger is unchanged', async () => {
    const before = await ledger();
    const audit = async () => (await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, 'email.test_sent'))).length;
    const r = await post('/admin/copy/email', { intent: 'send-test', kind: 'delivered', order: 'V-1', lang: 'en' });
    expect(r.status, await r.clone().text()).toBe(200);
    expect(await r.text()).toContain('Sent “[Test] Your order #V-1 has been delivered” to staff@vorschau.example');
    await waitUntil(() => smtp.received.length === 1);
    const [mail] = smtp.received;
    expect(mail!.to).toEqual(['staff@vorschau.example']);
    expect(mail!.mail.subject).toBe('[Test] Your order #V-1 has been delivered');
    expect(mail!.mail.from?.value[0]?.address).toBe('updates@waypost.test');
    expect(smtp.received.some((m) => m.to.includes('shopper@example.com'))).toBe(false);
    expect(await ledger()).toEqual(before);
    expect(await audit()).toBe(1);
  });

  it('refuses a cross-site post and another store’s order, sending nothing', async () => {
    const sent = smtp.received.length;
    const cross = await post('/admin/copy/email', { intent: 'send-test', kind: 'shipped', order: 'V-1' }, 'https://evil.example');
    expect(cross.status).toBe(403);
    const foreign = await post('/admin/copy/email', { intent: 'send-test', kind: 'shipped', order: 'F-9' });
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain('This store has no order #F-9');
    expect((await page('/admin/copy/email?kind=shipped&order=F-9')).status).toBe(404);
    expect((await page('/admin/copy/email/html?kind=shipped&order=F-9')).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.length).toBe(sent);
    // Signed out: the sign-in page, no preview.
    expect((await fetch(`${server.url}/admin/copy/email/html?kind=shipped&order=V-1`, { redirect: 'manual' })).status).toBe(303);
  });

  it('limits test sends per staff member', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await post('/admin/copy/email', { intent: 'send-test', kind: 'shipped', order: 'V-2' })).status);
    // One was sent earlier in the window: four more pass, then 429.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    await waitUntil(() => smtp.received.length === 5);
    expect(smtp.received.every((m) => m.to.length === 1 && m.to[0] === 'staff@vorschau.example')).toBe(true);
  });
});
