// Every email kind in the pseudo-locale: with every catalogue message marked (⟦accented⟧, dates and
// numbers in Japanese), the subject, the preheader, the HTML part's visible text and the plain-text
// part may hold no Latin word outside the marks that is not stored data (the store's, the order's,
// the products', the carrier's own words). The same check as the shopper pages' (tests/support/pseudo-locale.ts).
import { getTableName, is, Table } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '../../../src/server/config.ts';
import { db, schema } from '../../../src/server/db.ts';
import { buildEmail, renderEmail, type EmailFacts } from '../../../src/server/messages/render-email.ts';
import { listDeliveredProducts } from '../../../src/server/orders/list-delivered-products.ts';
import { loadOrder } from '../../../src/server/orders/load-order.ts';
import { putProduct } from '../../../src/server/products/put-product.ts';
import { registerProduct } from '../../../src/server/registrations/register-product.ts';
import { MESSAGE_KIND_NAMES, MESSAGE_KINDS } from '../../../src/server/stores/notification-settings.ts';
import { strayTexts, strayWords, stringsIn, visibleTexts } from '../../support/pseudo-locale.ts';
import { apply, event, newOrder, snap, world } from '../notices/helpers.ts';

const PUBLIC = 'https://track.example';
const DELIVERED = '2026-11-20T15:00:00Z';
let facts: Omit<EmailFacts, 'kind' | 'messageClass'>;
let data: string[];

/** Every string the database holds (JSON columns opened up), on either dialect: data an email may show as it is. */
async function storedStrings(): Promise<string[]> {
  const tables = (Object.values(schema) as unknown[]).filter((t): t is Table => is(t, Table));
  const rows = await Promise.all(tables.map((t) => db().select().from(t)));
  expect(tables.map((t) => getTableName(t))).toContain('orders');
  return stringsIn(rows.flat());
}

/** The plain-text part's lines, links taken out (they are addresses, not words). */
const textLines = (text: string) => text.split('\n').map((l) => l.replace(/https?:\/\/\S+/g, ' '));

beforeAll(async () => {
  process.env.WAYPOST_PSEUDO_LOCALE = '1';
  resetConfig();
  const { clock, store } = await world('2026-11-18T10:00:00Z', {
    timeZone: 'UTC',
    notifications: { quietHours: { enabled: false }, postalAddress: '1 Harbour Road, Portland', replyTo: 'help@harbour.example' },
  });
  const product = (id: string, body: Record<string, unknown>) =>
    putProduct({
      storeId: store.id,
      productId: id,
      now: clock.now(),
      body: { variants: [{ sku: id, title: 'One size', available: true }], ...body },
    });
  await product('TENT', {
    title: 'Ridgeline tent',
    url: 'https://shop.example/p/tent',
    warrantyMonths: 24,
    careGuide: { title: 'Pitch it dry', body: 'Let the fly dry fully before packing.', url: 'https://shop.example/care/tent' },
    related: ['PEGS'],
  });
  await product('PEGS', { title: 'Titanium pegs', url: 'https://shop.example/p/pegs' });
  const o = await newOrder(store, clock, {
    timeZone: 'UTC',
    items: [{ sku: 'TENT', productId: 'TENT', title: 'Ridgeline tent', quantity: 1, unitAmount: 24900 }],
    shipments: [{ carrier: 'USPS', trackingCode: 'PSEUDO0001', items: [{ sku: 'TENT', quantity: 1 }] }],
  });
  clock.set(DELIVERED);
  await apply(store, clock, o.shipmentId, snap('delivered', [event(DELIVERED, 'delivered', 'Delivered')]));
  const view = async () => (await loadOrder(store, { id: o.orderId }, clock.now()))!;
  const registration = await registerProduct({
    order: await view(),
    input: { sku: 'TENT', serial: 'RT-7781', reminders: 'on' },
    now: clock.now(),
  });
  const order = await view();
  facts = {
    store,
    order,
    language: 'en-XA',
    shipmentId: o.shipmentId,
    returnUrl: `${PUBLIC}/${store.slug}/r/return-token`,
    publicUrl: PUBLIC,
    unsubscribeUrl: `${PUBLIC}/${store.slug}/unsubscribe/unsubscribe-token`,
    products: await listDeliveredProducts(order),
    registrationId: registration.id,
    suggested: [{ title: 'Titanium pegs', url: 'https://shop.example/p/pegs', imageUrl: null }],
    segment: 'repeat',
    toldBefore: [],
  };
  data = await storedStrings();
});
afterAll(() => {
  delete process.env.WAYPOST_PSEUDO_LOCALE;
  resetConfig();
});

describe('every email kind in the pseudo-locale', () => {
  it.each(MESSAGE_KIND_NAMES)('%s: subject, preheader, HTML and text parts have only catalogue words around stored data', async (kind) => {
    const content = buildEmail({ ...facts, kind, messageClass: MESSAGE_KINDS[kind] });
    const email = await renderEmail(content, facts.store, PUBLIC);
    expect(email.html).toMatch(/<html [^>]*lang="en-XA"/);
    for (const part of [email.subject, content.body, email.text, email.html]) expect(part).toContain('⟦');
    expect(strayTexts([email.subject], data), 'subject').toEqual([]);
    expect(strayTexts([content.body], data), 'preheader').toEqual([]);
    expect(strayWords(email.html, data), 'HTML part').toEqual([]);
    expect(strayTexts(textLines(email.text), data), 'text part').toEqual([]);
    // The preheader is in the HTML part too, where inboxes read it.
    expect(visibleTexts(email.html)).toContain(content.body);
  });

  it('is a test that can fail: an English word in an email is found, stored data is not', () => {
    expect(strayTexts(textLines('⟦Ŷöûŕ öŕđéŕ⟧\nTrack it: https://x.example/a'), data)).toEqual(['Track it:']);
    expect(strayTexts(['⟦Ĥéļļö⟧ Ridgeline tent'], data)).toEqual([]);
  });

  it('speaks the pseudo-locale only where it is switched on: elsewhere en-XA is English', () => {
    delete process.env.WAYPOST_PSEUDO_LOCALE;
    resetConfig();
    try {
      const content = buildEmail({ ...facts, kind: 'delivered', messageClass: 'service' });
      expect(content.lang).toBe('en');
      expect(content.subject).not.toContain('⟦');
      expect(content.subject).toMatch(/delivered/i);
    } finally {
      process.env.WAYPOST_PSEUDO_LOCALE = '1';
      resetConfig();
    }
  });
});
