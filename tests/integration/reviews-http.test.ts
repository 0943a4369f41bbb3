// Reviews over real HTTP against the real server: the order API's reviewUrl, the review page
// (write, spam rules, a problem reaching a person), the public JSON (aggregate, paging, ETag, 304)
// and the embeddable fragment whose JSON-LD matches the visible rating. The delivery happened
// "a week ago": the test writes it into the server's database file with a clock set back.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, firstRow, schema, useDatabase } from '../../src/server/db.ts';
import { scanReviewInvitations } from '../../src/server/reviews/scan-review-invitations.ts';
import { applyCarrierNews } from '../../src/server/changes/carrier-news.ts';
import { orderBody } from '../fixtures/factories.ts';
import { event, snap } from '../unit/notices/helpers.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const DAY = 86_400_000;
let server: TestServer;
let key: string;
let reviewPath: string;

const body = (number: string, code: string) =>
  orderBody({
    number,
    timeZone: 'UTC',
    items: [
      { sku: 'TENT-G', productId: 'TENT', title: 'Two-person tent', variant: 'Green', quantity: 1, unitAmount: 24900 },
      { sku: 'MUG', title: 'Camp mug', quantity: 1, unitAmount: 1500 },
    ],
    shipments: [
      {
        carrier: 'USPS',
        trackingCode: code,
        items: [
          { sku: 'TENT-G', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ],
      },
    ],
  });

/** Marks the order's parcel delivered `daysAgo` and runs the invitation scan now. */
async function deliver(trackingCode: string, daysAgo: number) {
  const s = (await firstRow(db().select().from(schema.shipments).where(eq(schema.shipments.trackingCode, trackingCode))))!;
  const at = Date.now() - daysAgo * DAY;
  await applyCarrierNews({
    storeId: s.storeId,
    shipmentId: s.id,
    snapshot: snap('delivered', [event(at, 'delivered', 'Delivered')]),
    now: at,
  });
  await scanReviewInvitations(Date.now());
}
const local = (url: string) => url.replace(/^http:\/\/localhost:\d+/, '');

beforeAll(async () => {
  server = await startTestServer();
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'rv', '--name', 'Review Shop']).apiKey;
  cli(server.dataDir, ['stores:create', '--slug', 'other', '--name', 'Other Shop']);
  await api(server.url, key, 'POST', '/api/v1/orders', body('R-1', 'RVH0001'));
  await api(server.url, key, 'POST', '/api/v1/orders', body('R-2', 'RVH0002'));
  await api(server.url, key, 'POST', '/api/v1/orders', body('R-3', 'RVH0003'));
  useDatabase(server.database);
});
afterAll(() => server?.stop());

describe('review invitation and writing', () => {
  it('no reviewUrl before delivery + 5 days; one after', async () => {
    let r = await api(server.url, key, 'GET', '/api/v1/orders/R-1');
    expect(r.json.reviewUrl).toBeNull();
    await deliver('RVH0001', 3);
    r = await api(server.url, key, 'GET', '/api/v1/orders/R-1');
    expect(r.json.reviewUrl).toBeNull();
    await deliver('RVH0002', 7);
    await deliver('RVH0003', 8);
    r = await api(server.url, key, 'GET', '/api/v1/orders/R-2');
    expect(r.json.reviewUrl).toBe(`${r.json.trackingUrl}/review`);
    reviewPath = local(r.json.reviewUrl);
    const page = await fetch(server.url + local(r.json.trackingUrl));
    expect(await page.text()).toContain('How is your Two-person tent?');
  });

  it('the review page offers a star radio group per product', async () => {
    const html = await (await fetch(server.url + reviewPath)).text();
    expect(html).toContain('<legend>How is your Two-person tent?</legend>');
    expect(html.match(/type="radio"[^>]*name="rating\[TENT\]"/g)).toHaveLength(6);
    expect(html).toContain('value="Ann L."');
    expect(html).toContain('How we collect and check reviews');
  });

  it('refuses links and unknown products with 422 and saves nothing; the honeypot saves nothing', async () => {
    let r = await postForm(server.url, reviewPath, { 'rating[TENT]': '5', 'body[TENT]': 'see https://spam.example', name: 'Ann' });
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain('Please leave out web links');
    expect(html).toContain('see https://spam.example'); // the shopper's words are kept
    r = await postForm(server.url, reviewPath, { 'rating[OTHER]': '5' });
    expect(r.status).toBe(422);
    r = await postForm(server.url, reviewPath, { 'rating[TENT]': '5', website: 'http://bot.example' });
    expect(r.status).toBe(303);
    expect(await db().select().from(schema.reviews)).toEqual([]);
  });

  it('a 2-star review with a problem: 303 with a thank-you, a case for a person, published at once (on arrival)', async () => {
    const r = await postForm(server.url, reviewPath, {
      'rating[TENT]': '2',
      'title[TENT]': 'Torn',
      'body[TENT]': 'The door arrived torn',
      'rating[MUG]': '5',
      'body[MUG]': 'Keeps coffee hot',
      name: '',
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`${reviewPath}?saved=1&followup=1`);
    const thanks = await (await fetch(server.url + r.headers.get('location'))).text();
    expect(thanks).toContain('Thank you for your review');
    expect(thanks).toContain('Someone from Review Shop will be in touch');
    const cases = await api(server.url, key, 'GET', '/api/v1/cases');
    expect(cases.json.cases.map((c: { kind: string }) => c.kind)).toEqual(['low_rating']);
    const third = await api(server.url, key, 'GET', '/api/v1/orders/R-3');
    const r3 = await postForm(server.url, local(third.json.reviewUrl), { 'rating[TENT]': '5', 'title[TENT]': 'Great tent' });
    expect(r3.headers.get('location')).toMatch(/saved=1$/);
  });

  it('a foreign or tampered link writes nothing', async () => {
    const r = await postForm(server.url, reviewPath.replace('/rv/', '/other/'), { 'rating[TENT]': '1' });
    expect(r.status).toBe(404);
  });
});

describe('public reviews', () => {
  it('JSON: published reviews with a correct aggregate, by product id or a variant SKU; ETag and 304', async () => {
    const r = await api(server.url, null, 'GET', '/api/v1/products/TENT/reviews?store=rv');
    expect(r.status).toBe(200);
    expect(r.json.aggregate).toEqual({ average: 3.5, count: 2, distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 } });
    expect(r.json.reviews.map((x: { rating: number }) => x.rating).sort()).toEqual([2, 5]);
    expect(r.json.reviews[0]).toMatchObject({ author: 'Ann L.', verifiedBuyer: true });
    expect(r.headers.get('cache-control')).toMatch(/public/);
    const etag = r.headers.get('etag')!;
    const again = await fetch(`${server.url}/api/v1/products/TENT/reviews?store=rv`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const bySku = await api(server.url, null, 'GET', '/api/v1/products/TENT-G/reviews?store=rv');
    expect(bySku.json.aggregate.count).toBe(2);
    const page1 = await api(server.url, null, 'GET', '/api/v1/products/TENT/reviews?store=rv&limit=1');
    expect(page1.json.reviews).toHaveLength(1);
    const page2 = await api(server.url, null, 'GET', `/api/v1/products/TENT/reviews?store=rv&limit=1&cursor=${page1.json.nextCursor}`);
    expect(page2.json.reviews).toHaveLength(1);
    expect(page2.json.reviews[0].id).not.toBe(page1.json.reviews[0].id);
    expect(page2.json.nextCursor).toBeNull();
  });

  it('JSON: nothing across stores, clear 4xx for bad input', async () => {
    expect((await api(server.url, null, 'GET', '/api/v1/products/TENT/reviews?store=other')).status).toBe(404);
    expect((await api(server.url, null, 'GET', '/api/v1/products/TENT/reviews')).status).toBe(422);
    expect((await api(server.url, null, 'GET', '/api/v1/products/TENT/reviews?store=rv&cursor=zzz')).status).toBe(422);
    expect((await api(server.url, null, 'GET', '/api/v1/products/TENT/reviews?store=rv&limit=500')).status).toBe(422);
  });

  it('the fragment carries JSON-LD that parses and matches the visible rating', async () => {
    const res = await fetch(`${server.url}/rv/reviews/TENT`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    const visible = Number(/class="wp-rating-value">([\d.]+)</.exec(html)![1]);
    const count = Number(/class="wp-review-count">(\d+)</.exec(html)![1]);
    expect(ld['@type']).toBe('Product');
    expect(ld['@id']).toMatch(/\/rv\/reviews\/TENT#product$/);
    expect(ld.aggregateRating).toMatchObject({ '@type': 'AggregateRating', ratingValue: visible, reviewCount: count });
    expect(visible).toBe(3.5);
    expect(ld.review).toHaveLength(2);
    expect(html).toContain('Verified buyer');
    expect(html).toContain('How we collect and check reviews');
    expect(html).not.toContain('<script>alert');
  });
});

describe('the daily limit counts saved submissions only', () => {
  it('refused posts do not use up a shopper’s edits; the twelfth saved one is the last of the day', async () => {
    const order = orderBody({
      number: 'R-9',
      timeZone: 'UTC',
      items: [{ sku: 'LAMP', title: 'Camp lamp', quantity: 1, unitAmount: 3900 }],
      shipments: [{ carrier: 'USPS', trackingCode: 'RVH0009', items: [{ sku: 'LAMP', quantity: 1 }] }],
    });
    await api(server.url, key, 'POST', '/api/v1/orders', order);
    await deliver('RVH0009', 9);
    const path = local((await api(server.url, key, 'GET', '/api/v1/orders/R-9')).json.reviewUrl);
    for (let i = 0; i < 15; i++) {
      const junk = await postForm(server.url, path, { 'rating[LAMP]': '5', 'body[LAMP]': `visit https://spam${i}.example` });
      expect(junk.status).toBe(422);
    }
    for (let i = 1; i <= 12; i++) {
      const saved = await postForm(server.url, path, { 'rating[LAMP]': String((i % 5) + 1), 'body[LAMP]': `Edit number ${i}` });
      expect(saved.status, `saved submission ${i}`).toBe(303);
    }
    const over = await postForm(server.url, path, { 'rating[LAMP]': '4', 'body[LAMP]': 'One more' });
    expect(over.status).toBe(429);
    const [review] = await db().select().from(schema.reviews).where(eq(schema.reviews.productId, 'LAMP'));
    expect(review!.body).toBe('Edit number 12');
  });
});
