// Every shopper page in the shopper's language, over real HTTP: which language a page picks, the
// language switcher, the store's default, and the pseudo-locale test: each page rendered with every
// catalogue message marked (⟦accented⟧, dates and numbers in Japanese) may show no Latin word that
// is neither inside a mark nor stored data (the store's and the order's own words, the carrier's).
import { eq, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../src/server/config.ts';
import { closeDatabase, db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { createUnsubscribeToken } from '../../src/server/messages/unsubscribe-token.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { strayWords, stringsIn } from '../support/pseudo-locale.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let links: { label: string; number: string; url: string }[];
let key: string;
let demoKey: string;
let germanOrder: string;
const PSEUDO = 'lang=en-XA';

const path = (url: string) => new URL(url).pathname;
const linkOf = (label: RegExp) => path(links.find((l) => label.test(l.label))!.url);

beforeAll(async () => {
  server = await startTestServer({ WAYPOST_PSEUDO_LOCALE: '1' });
  const demo = cli<{ apiKey: string; orders: { label: string; number: string; url: string }[] }>(server.dataDir, ['demo:seed']);
  links = demo.orders;
  demoKey = demo.apiKey;
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'lang-shop', '--name', 'Lang Shop']).apiKey;
  useDatabase(server.database); // the server's database, read through the same client
}, 120_000);
afterAll(async () => {
  await closeDatabase();
  await server?.stop();
});

async function page(p: string, init?: RequestInit): Promise<{ status: number; html: string }> {
  const r = await fetch(server.url + p, { redirect: 'manual', ...init });
  return { status: r.status, html: await r.text() };
}

/** A plain-text answer (a download's or a refusal's words), as a page the pseudo-locale check reads. */
async function plainText(p: string, init?: RequestInit): Promise<{ status: number; html: string }> {
  const r = await fetch(server.url + p, { redirect: 'manual', ...init });
  expect(r.headers.get('content-type'), p).toMatch(/^text\/plain/);
  const text = await r.text();
  return { status: r.status, html: `<pre>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>` };
}

/** Posts a form and opens the page its 303 leads to, in the pseudo-locale. */
async function postThenPage(p: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
  const r = await postForm(server.url, p, fields);
  expect(r.status, `${p}: ${await r.text()}`).toBe(303);
  const to = new URL(r.headers.get('location')!, server.url);
  to.searchParams.set('lang', 'en-XA');
  return page(to.pathname + to.search);
}

/** The page, failing the test unless it shows what it is loaded for. */
async function pageShowing(p: string, needles: string[], init?: RequestInit): Promise<{ status: number; html: string }> {
  const r = await page(p, init);
  for (const n of needles) expect(r.html, `${p} shows ${n}`).toContain(n);
  return r;
}

/** The one-click unsubscribe link of an address at a store, signed as the server signs it (the test server's secret). */
async function unsubscribePath(slug: string, email: string): Promise<string> {
  process.env.WAYPOST_SECRET = 'test-server-secret-test-server-secret-01';
  resetConfig();
  const { id } = (await firstRow(db().select({ id: schema.stores.id }).from(schema.stores).where(eq(schema.stores.slug, slug))))!;
  return `/${slug}/unsubscribe/${createUnsubscribeToken(id, email)}`;
}

// Every string the database holds (JSON columns opened up), read from the server's database: data a page may show as it is.
async function storedStrings(): Promise<string[]> {
  const rows: unknown[] = [];
  for (const t of Object.values(schema)) {
    if (!is(t, SQLiteTable) && !is(t, PgTable)) continue;
    rows.push(
      ...(await db()
        .select()
        .from(t as typeof schema.stores)),
    );
  }
  return stringsIn(rows);
}

describe('which language a shopper page speaks', () => {
  it('follows the order: German for a de-DE order, everything on its page German, <html lang dir> saying so', async () => {
    const r = await api(
      server.url,
      key,
      'POST',
      '/api/v1/orders',
      orderBody({
        number: 'DE-1',
        locale: 'de-DE',
        currency: 'EUR',
        shipments: [],
        items: [{ sku: 'MUG', title: 'Becher', quantity: 1, unitAmount: 1200 }],
      }),
    );
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const url = path(r.json.trackingUrl as string);
    germanOrder = url;
    const { html } = await page(url);
    expect(html).toMatch(/<html lang="de" dir="ltr">/);
    expect(html).toContain('Ihre Bestellung wird vorbereitet');
    expect(html).toContain('Bestellung #DE-1 · bestellt am Freitag, 20. November');
    expect(html).not.toMatch(/Your order|Being prepared|Skip to content/);
    // ?lang= shows it in another language, and the switcher offers every language as a plain link.
    const ar = await page(`${url}?lang=ar`);
    expect(ar.html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.html).toContain('جارٍ تجهيز طلبك');
    for (const l of ['en', 'fr', 'es', 'it', 'nl', 'ar']) expect(html).toContain(`href="${url}?lang=${l}"`);
    // An unsupported ?lang= is passed over, never an error.
    const zz = await page(`${url}?lang=zz`);
    expect(zz.status).toBe(200);
    expect(zz.html).toMatch(/<html lang="de"/);
  });

  it('follows Accept-Language on the look-up page, and the store’s default language where nothing else decides', async () => {
    const fr = await page('/lang-shop', { headers: { 'accept-language': 'fr-CH, fr;q=0.9, en;q=0.8' } });
    expect(fr.html).toMatch(/<html lang="fr"/);
    expect(fr.html).toContain('Suivre votre commande');
    const none = await page('/lang-shop', { headers: { 'accept-language': 'ja' } });
    expect(none.html).toMatch(/<html lang="en"/);
    // The store's default language: validated, in the store document, and used by the look-up.
    const bad = await api(server.url, key, 'PATCH', '/api/v1/store', { defaultLanguage: 'xx' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json)).toContain('/defaultLanguage');
    const ok = await api(server.url, key, 'PATCH', '/api/v1/store', { defaultLanguage: 'nl' });
    expect(ok.status).toBe(200);
    expect(ok.json.defaultLanguage).toBe('nl');
    expect((await api(server.url, key, 'GET', '/api/v1/store')).json.defaultLanguage).toBe('nl');
    const nl = await page('/lang-shop', { headers: { 'accept-language': 'ja' } });
    expect(nl.html).toMatch(/<html lang="nl"/);
    expect(nl.html).toContain('Volg je bestelling');
  });

  it('takes the store’s own wording per language, its placeholders checked against the catalogue’s', async () => {
    const refused = await api(server.url, key, 'PATCH', '/api/v1/store', {
      copy: { de: { 'order.lede': 'Bestellung {number}', 'order.title': '{count, plural, one {x}', 'order.nope': 'x' } },
    });
    expect(refused.status).toBe(422);
    const pointers = (refused.json.errors as { pointer: string; detail: string }[]).map((e) => `${e.pointer}: ${e.detail}`);
    expect(pointers.join('\n')).toMatch(/\/copy\/de\/order\.lede: leaves out \{date\}/);
    expect(pointers.join('\n')).toMatch(/\/copy\/de\/order\.title: not valid ICU/);
    expect(pointers.join('\n')).toMatch(/\/copy\/de\/order\.nope: not a message shoppers see/);
    expect((await page(germanOrder)).html).toContain('Ihre Bestellung wird vorbereitet');
    const saved = await api(server.url, key, 'PATCH', '/api/v1/store', {
      copy: { de: { 'order.summary.preparing': 'Wir packen gerade für Sie' } },
    });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    expect(saved.json.copy).toEqual({ de: { 'order.summary.preparing': 'Wir packen gerade für Sie' } });
    // The change drops cached pages: the order page says it at once; other languages keep the catalogue's.
    expect((await page(germanOrder)).html).toContain('Wir packen gerade für Sie');
    expect((await page(`${germanOrder}?lang=en`)).html).toContain('Your order is being prepared');
  });

  it('speaks the shopper’s language on the pages outside an order: unsubscribe, the reviews embed, plain-text refusals', async () => {
    // The unsubscribe link knows only the address: its latest order's language (DE-1 is de-DE), else ?lang=.
    const unsubscribe = await unsubscribePath('lang-shop', 'ann@example.com');
    const de = await page(unsubscribe);
    expect(de.status).toBe(200);
    expect(de.html).toMatch(/<html lang="de" dir="ltr">/);
    expect(de.html).toContain('Keine Werbe-E-Mails mehr?');
    expect(de.html).not.toMatch(/>Unsubscribe|marketing email/);
    const ar = await page(`${unsubscribe}?lang=ar`);
    expect(ar.html).toMatch(/<html lang="ar" dir="rtl">/);
    const broken = await page(`${unsubscribe.slice(0, -2)}xx`, { headers: { 'accept-language': 'fr' } });
    expect(broken.status).toBe(404);
    expect(broken.html).toContain('Ce lien ne fonctionne pas');
    // The reviews embed follows ?lang= (and the browser), and says caches must keep languages apart.
    const embed = await fetch(`${server.url}/demo/reviews/TENT-2P-GRN?lang=it`);
    expect(embed.headers.get('vary')).toMatch(/accept-language/);
    const embedHtml = await embed.text();
    expect(embedHtml).toContain('lang="it"');
    expect(embedHtml).toContain('Ancora nessuna recensione.');
    // A form from another site: on a store's page in the order's language, elsewhere in the browser's.
    const crossSite = { method: 'POST', headers: { origin: 'https://elsewhere.example', 'accept-language': 'nl' }, body: 'x=1' };
    expect(await (await fetch(server.url + `${germanOrder}/problem`, crossSite)).text()).toContain('von einer anderen Website');
    const admin = await fetch(server.url + '/admin/login', crossSite);
    expect(admin.status).toBe(403);
    expect(await admin.text()).toContain('vanaf een andere website');
  });

  it('keeps one cached page per language: the order’s own and each ?lang= apart', async () => {
    const url = linkOf(/^In transit/);
    const en1 = await page(url);
    const de1 = await page(`${url}?lang=de`);
    const de2 = await page(`${url}?lang=de`);
    const en2 = await page(url);
    expect(en1.html).toMatch(/<html lang="en"/);
    expect(de1.html).toMatch(/<html lang="de"/);
    expect(de2.html).toBe(de1.html);
    expect(en2.html).toBe(en1.html);
  });
});

describe('the pseudo-locale: no word on a shopper page that did not come from the catalogue', () => {
  let data: string[];
  const pages: [string, () => Promise<{ status: number; html: string }>][] = [];
  const seen: string[] = [];

  beforeAll(async () => {
    // A return, so its page exists: the delivered order's first returnable item, its first reason.
    const delivered = linkOf(/^Delivered$/);
    const form = await page(`${delivered}/returns/new`);
    const sku = /name="qty\[([^\]]+)\]"/.exec(form.html)![1]!;
    const reason = new RegExp(`name="reason\\[${sku.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]"[\\s\\S]*?<option value="([^"]+)"`).exec(
      form.html,
    )![1]!;
    const made = await postForm(server.url, `${delivered}/returns`, {
      key: 'pseudo-locale-return-0001',
      resolution: 'refund',
      [`qty[${sku}]`]: '1',
      [`reason[${sku}]`]: reason,
      [`note[${sku}]`]: 'x',
    });
    expect(made.status, await made.text()).toBe(303);
    const returnPage = new URL(made.headers.get('location')!, server.url).pathname;
    // After delivery: the order delivered last week has its check-in asked, two warranties, care guides and related products.
    const lastWeek = linkOf(/last week/);
    const before = await page(lastWeek);
    const code = /class="card checkin" id="checkin-([^"]+)"/.exec(before.html)![1]!;
    const warrantySku = /name="sku" value="([^"]+)"/.exec(before.html)![1]!;
    const unsubscribe = await unsubscribePath('demo', 'rosa.diaz@example.com');
    data = await storedStrings();
    pages.push(
      [
        'after delivery: check-in asked, warranties, care guides, related products',
        () =>
          pageShowing(`${lastWeek}?${PSEUDO}`, [
            'class="card checkin"',
            'class="card warranty"',
            'class="card care-guide"',
            'id="related-title"',
          ]),
      ],
      ['check-in, the email’s choice made', () => pageShowing(`${lastWeek}?${PSEUDO}&checkin=${code}&answer=problem`, ['checked'])],
      ['check-in thanks, all good', () => pageShowing(`${lastWeek}?${PSEUDO}&checkedin=${code}&said=all_good`, ['checkin-thanks-title'])],
      [
        'check-in refused',
        () => page(`${lastWeek}/checkin?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ shipment: 'nope', answer: 'maybe' }) }),
      ],
      [
        'check-ins switched off',
        async () => {
          const off = await api(server.url, demoKey, 'PATCH', '/api/v1/store', {
            notifications: { kinds: { checkin: { email: false, push: false } } },
          });
          expect(off.status, JSON.stringify(off.json)).toBe(200);
          const r = await page(`${lastWeek}?${PSEUDO}`);
          expect(r.html).not.toContain('class="card checkin"');
          const on = await api(server.url, demoKey, 'PATCH', '/api/v1/store', {
            notifications: { kinds: { checkin: { email: true, push: true } } },
          });
          expect(on.status).toBe(200);
          return r;
        },
      ],
      ['check-in answered: a problem', () => postThenPage(`${lastWeek}/checkin`, { shipment: code, answer: 'problem', message: 'x' })],
      [
        'warranty registration refused',
        () => page(`${lastWeek}/registrations?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ sku: 'NO-SUCH-SKU' }) }),
      ],
      ['warranty registered', () => postThenPage(`${lastWeek}/registrations`, { sku: warrantySku, serial: 'SN-PSEUDO-1', reminders: '1' })],
      [
        'warranty claim refused',
        () => page(`${lastWeek}/registrations/claim?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ registration: 'nope' }) }),
      ],
      [
        'warranty claim opened',
        async () => {
          const registration = /name="registration" value="([^"]+)"/.exec((await page(lastWeek)).html)![1]!;
          return postThenPage(`${lastWeek}/registrations/claim`, { registration, message: 'x' });
        },
      ],
      ['unsubscribe', () => pageShowing(`${unsubscribe}?${PSEUDO}`, ['<html lang="en-XA"'])],
      ['unsubscribe broken link', () => page(`${unsubscribe.slice(0, -2)}xx?${PSEUDO}`)],
      [
        'unsubscribed',
        () => page(`${unsubscribe}?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) }),
      ],
      ['reviews fragment', () => page(`/demo/reviews/TENT-2P-GRN?${PSEUDO}`)],
      ['reviews fragment, no such product', () => plainText(`/demo/reviews/NO-SUCH-PRODUCT?${PSEUDO}`)],
      ['label download, no label', () => plainText(`${returnPage}/label.pdf?${PSEUDO}`)],
      [
        'form from another site',
        () =>
          plainText(`${delivered}/problem?${PSEUDO}`, {
            method: 'POST',
            headers: { origin: 'https://elsewhere.example' },
            body: 'shipment=x',
          }),
      ],
    );
    for (const l of links) pages.push([`order page: ${l.label}`, () => page(`${path(l.url)}?${PSEUDO}`)]);
    pages.push(
      ['look-up', () => page(`/demo?${PSEUDO}`)],
      [
        'look-up refused',
        () => page(`/demo/lookup?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ order: 'nope', contact: 'x' }) }),
      ],
      ['return flow, step 1', () => page(`${delivered}/returns/new?${PSEUDO}`)],
      ['return flow, errors', () => page(`${delivered}/returns/new?${PSEUDO}&step=2&key=pseudo-locale-return-0002`)],
      [
        'return flow, step 2',
        () =>
          page(
            `${delivered}/returns/new?${PSEUDO}&step=2&key=pseudo-locale-return-0003&resolution=refund&qty[${sku}]=1&reason[${sku}]=${encodeURIComponent(reason)}&note[${sku}]=x`,
          ),
      ],
      ['return page', () => page(`${returnPage}?${PSEUDO}`)],
      ['review form', () => page(`${linkOf(/review/)}/review?${PSEUDO}`)],
      ['review refused', () => page(`${linkOf(/review/)}/review?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ name: 'x' }) })],
      [
        'problem refused',
        () => page(`${delivered}/problem?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ shipment: 'nope' }) }),
      ],
      ['order not found', () => page(`/demo/t/${'a'.repeat(22)}.${'b'.repeat(22)}?${PSEUDO}`)],
      ['store not found', () => page(`/no-such-store?${PSEUDO}`)],
      ['reviews statement', () => page(`/demo/reviews?${PSEUDO}`)],
      ['return policy', () => page(`/demo/returns?${PSEUDO}`)],
      [
        'return policy look-up refused',
        () =>
          page(`/demo/lookup?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ order: 'nope', contact: 'x', next: 'return' }) }),
      ],
      ['email preferences', () => page(`${delivered}/preferences?${PSEUDO}`)],
      ['email preferences stopped', () => page(`${delivered}/preferences?${PSEUDO}&done=off`)],
      [
        'email preferences refused',
        () => page(`${delivered}/preferences?${PSEUDO}`, { method: 'POST', body: new URLSearchParams({ marketing: 'maybe' }) }),
      ],
    );
  }, 60_000);

  it('renders every shopper page with only catalogue words around the store’s and order’s own', async () => {
    const failures: string[] = [];
    for (const [name, load] of pages) {
      const { status, html } = await load();
      expect(status, name).toBeLessThan(500);
      expect(html, `${name} has marked words`).toContain('⟦');
      const stray = strayWords(html, data);
      if (stray.length) failures.push(`${name}: ${stray.map((s) => JSON.stringify(s)).join(', ')}`);
      seen.push(name);
    }
    expect(failures).toEqual([]);
    expect(seen.length).toBeGreaterThan(35);
  });

  it('is a test that can fail: an English word on a page is found', () => {
    expect(strayWords('<p>⟦Ŷöûŕ öŕđéŕ⟧ Delivered</p>', [])).toEqual(['⟦Ŷöûŕ öŕđéŕ⟧ Delivered']);
    expect(strayWords('<p>⟦Ŷöûŕ öŕđéŕ⟧ Trailhead</p>', ['Trailhead'])).toEqual([]);
    expect(strayWords('<p>Sent</p>', ['en', 'S'])).toEqual(['Sent']);
    expect(strayWords('<img alt="Parcel">', [])).toEqual(['Parcel']);
  });
});
