import { describe, expect, it } from 'vitest';
import { buildNotification, topicFor, type NotificationFacts } from '../../../src/server/notifications/build-notification.ts';
import { notificationBody } from '../../../src/server/notifications/notification-words.ts';
import type { NotificationKind } from '../../../src/server/notifications/queue-notification.ts';

const facts = (over: Partial<NotificationFacts> = {}): NotificationFacts => ({
  kind: 'shipped',
  eventKey: 'ship-1:shipped',
  publicUrl: 'https://track.example.test/',
  store: { slug: 'north', name: 'Northwind Outfitters', logoUrl: null },
  order: { id: 'order-1', number: '1042', locale: 'en-US', token: 'tok.en' },
  shipment: { id: 'ship-1', status: 'in_transit', statusDetail: null, index: 1, total: 1 },
  returnId: null,
  ...over,
});
const payload = (f: NotificationFacts) => JSON.parse(buildNotification(f).payload) as Record<string, string>;
const KINDS: NotificationKind[] = [
  'shipped',
  'out_for_delivery',
  'delivered',
  'delayed',
  'exception',
  'return_label_ready',
  'return_received',
  'refund_released',
  'review_invitation',
  'warranty_reminder',
  'follow_up',
  'replenishment',
];

describe('buildNotification', () => {
  it('is the store name over one short sentence, linking to the order page', () => {
    expect(payload(facts())).toEqual({
      title: 'Northwind Outfitters',
      body: 'Your order #1042 is on its way.',
      icon: 'https://track.example.test/icons/notification.png',
      url: 'https://track.example.test/north/t/tok.en',
      tag: topicFor('ship-1'),
      kind: 'shipped',
      lang: 'en-US',
    });
  });

  it('links return news to the return page and the review invitation to the review form', () => {
    const ret = facts({ kind: 'return_label_ready', shipment: null, returnId: 'ret-1', returnToken: 'ret.tok' });
    expect(payload(ret)).toMatchObject({ url: 'https://track.example.test/north/r/ret.tok', tag: topicFor('ret-1') });
    expect(payload(facts({ kind: 'review_invitation', shipment: null })).url).toBe('https://track.example.test/north/t/tok.en/review');
  });

  it('uses the store logo as the icon, made absolute when it is a path on this site', () => {
    expect(payload(facts({ store: { slug: 'north', name: 'N', logoUrl: '/assets/abc.png' } })).icon).toBe(
      'https://track.example.test/assets/abc.png',
    );
    expect(payload(facts({ store: { slug: 'north', name: 'N', logoUrl: 'https://cdn.example/logo.png' } })).icon).toBe(
      'https://cdn.example/logo.png',
    );
  });

  it('names the parcel when the order has several', () => {
    const f = facts({
      kind: 'out_for_delivery',
      shipment: { id: 's2', status: 'out_for_delivery', statusDetail: null, index: 2, total: 3 },
    });
    expect(payload(f).body).toBe('Parcel 2 of 3 from order #1042 is out for delivery today.');
  });

  it('words delays and exceptions by what actually happened', () => {
    const ex = (status: string, statusDetail: string | null) =>
      payload(facts({ kind: 'exception', shipment: { id: 's', status, statusDetail, index: 1, total: 1 } })).body;
    expect(ex('available_for_pickup', null)).toBe('Your order #1042 is ready to collect.');
    expect(ex('return_to_sender', null)).toBe('Your order #1042 is on its way back to the store.');
    expect(ex('in_transit', 'lost')).toBe('Your order #1042: the carrier reported it lost. We will contact you.');
    expect(ex('error', null)).toBe('Your order #1042 has a delivery problem. See what happens next.');
    expect(payload(facts({ kind: 'delayed', eventKey: 's:late:n1' })).body).toBe(
      'Your order #1042 is running late. See the latest estimate.',
    );
    expect(payload(facts({ kind: 'delayed', eventKey: 's:stalled:n1' })).body).toMatch(/no news from the carrier/);
    expect(payload(facts({ kind: 'delayed', eventKey: 'o:delayed_dispatch:n1', shipment: null })).body).toBe(
      'Your order #1042 is taking longer than usual to ship.',
    );
  });

  it('speaks the order’s language, English when we have no words for it', () => {
    expect(payload(facts({ order: { id: 'o', number: '7', locale: 'de-DE', token: 't' } })).body).toBe('Ihre Bestellung #7 ist unterwegs.');
    expect(payload(facts({ order: { id: 'o', number: '7', locale: 'fr-CA', token: 't' } })).body).toBe('Votre commande n° 7 est en route.');
    expect(payload(facts({ order: { id: 'o', number: '7', locale: 'ja-JP', token: 't' } })).body).toBe('Your order #7 is on its way.');
    expect(payload(facts({ order: { id: 'o', number: '7', locale: 'nl-BE', token: 't' } })).body).toBe('Je bestelling #7 is onderweg.');
    expect(payload(facts({ order: { id: 'o', number: '7', locale: 'ar-EG', token: 't' } })).body).toBe('طلبك رقم 7 في الطريق إليك.');
    // A locale in none of our languages: the store's default language.
    const german = facts({ order: { id: 'o', number: '7', locale: 'ja-JP', token: 't' } });
    expect(payload({ ...german, store: { ...german.store, defaultLanguage: 'de' } }).body).toBe('Ihre Bestellung #7 ist unterwegs.');
    for (const locale of ['en', 'de', 'fr', 'es', 'it', 'nl', 'ar'])
      for (const kind of KINDS)
        expect(notificationBody(locale, { kind, shade: null, number: '1', parcel: null }).length).toBeGreaterThan(10);
  });

  it('takes the store’s own wording for the order’s language, and only for it', () => {
    const copy = { de: { 'push.kind.delivered': '{subject} ist da. Viel Freude damit!' } };
    const store = { slug: 'north', name: 'Northwind Outfitters', logoUrl: null, copy };
    const order = (locale: string) => ({ id: 'order-1', number: '1042', locale, token: 'tok.en' });
    expect(payload(facts({ kind: 'delivered', store, order: order('de-AT') })).body).toBe(
      'Ihre Bestellung #1042 ist da. Viel Freude damit!',
    );
    expect(payload(facts({ kind: 'delivered', store, order: order('en-US') })).body).toBe('Your order #1042 has been delivered.');
    // Only the message the store reworded: the others stay the catalogue's.
    expect(payload(facts({ kind: 'shipped', store, order: order('de-DE') })).body).toBe(
      notificationBody('de-DE', { kind: 'shipped', shade: null, number: '1042', parcel: null }),
    );
  });

  it('sets topic, TTL and urgency for the kind of news', () => {
    const opts = (kind: NotificationKind) => buildNotification(facts({ kind })).options;
    expect(opts('shipped')).toEqual({ TTL: 86400, urgency: 'normal', topic: topicFor('ship-1') });
    expect(opts('out_for_delivery')).toMatchObject({ TTL: 8 * 3600, urgency: 'high' });
    expect(opts('delivered')).toMatchObject({ TTL: 6 * 3600, urgency: 'normal' });
    expect(opts('exception')).toMatchObject({ urgency: 'high' });
  });

  it('keeps one topic per parcel: URL-safe, at most 32 characters, unreadable', () => {
    expect(topicFor('ship-1')).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(topicFor('ship-1')).toBe(topicFor('ship-1'));
    expect(topicFor('ship-1')).not.toBe(topicFor('ship-2'));
    expect(buildNotification(facts({ kind: 'return_label_ready', shipment: null, returnId: 'ret-1' })).options.topic).toBe(
      topicFor('ret-1'),
    );
  });

  it('stays well under 4 KB whatever the store calls itself', () => {
    const long = 'Ü'.repeat(3000);
    const msg = buildNotification(facts({ store: { slug: 's', name: long, logoUrl: 'https://cdn.example/' + 'a'.repeat(3000) } }));
    expect(Buffer.byteLength(msg.payload)).toBeLessThan(1024);
    expect((JSON.parse(msg.payload) as { title: string }).title).toHaveLength(60);
  });
});
