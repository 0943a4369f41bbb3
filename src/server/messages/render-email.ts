// One email, in the shopper's language and the store's colours: what it says (buildEmail, from the
// order as the order page reads it) and how it looks (renderEmail: the MJML layout of
// email-layout.ts, so the HTML holds up in Gmail, Outlook and Apple Mail). Each layout shape is
// compiled by MJML once and kept; the words, links and colours are put into the compiled HTML
// afterwards, escaped, so nothing a merchant or shopper typed can become markup (no template
// injection) and rendering costs a string join.
import mjml2html from 'mjml';
import { formatDay, formatLongDay } from '../../lib/dates.ts';
import { paragraphsOf } from '../../lib/paragraphs.ts';
import type { MessageKey } from '../../i18n/catalogues.ts';
import { config } from '../config.ts';
import type { Language } from '../i18n/languages.ts';
import { PSEUDO_TAG, pseudoTranslator, translator, type Translator } from '../i18n/translator.ts';
import type { OrderView, ShipmentView } from '../orders/load-order.ts';
import { orderPageUrl } from '../orders/order-json.ts';
import { careGuidesOf, type DeliveredProduct } from '../orders/list-delivered-products.ts';
import { GROUP_MS } from './queue-email.ts';
import { themeFor } from '../stores/branding.ts';
import { emailLayout } from './email-layout.ts';
import type { MessageKind } from '../stores/notification-settings.ts';
import type { Store } from '../stores/store.ts';

export interface EmailFacts {
  store: Store;
  order: OrderView;
  kind: MessageKind;
  /** The shopper's language, or the pseudo-locale's tag where config().pseudoLocale allows it (tests: every word marked). */
  language: Language | typeof PSEUDO_TAG;
  messageClass: 'service' | 'marketing';
  shipmentId: string | null;
  /** The return's page, for return kinds. */
  returnUrl: string | null;
  publicUrl: string;
  /** Marketing only: the one-click unsubscribe URL. */
  unsubscribeUrl: string | null;
  /** The order's delivered products (care guides, registrations), for `delivered` and `warranty_reminder`. */
  products?: DeliveredProduct[];
  /** The registration a `warranty_reminder` is about. */
  registrationId?: string | null;
  /** What a follow-up suggests or a replenishment reminder is about (issue #15). */
  suggested?: ProductLink[];
  /** The customer's segment, which a follow-up's wording chooses by (first_time, repeat, vip). */
  segment?: string | null;
  /** `shipped`: the order's dispatch emails sent before this one (their parcel, its scan time), whose parcels this one does not repeat. */
  toldBefore?: { shipmentId: string | null; newsAt: number | null }[];
}

/** A product of the catalogue as an email shows it: picture, title, link to its page. */
interface ProductLink {
  title: string;
  url: string | null;
  imageUrl: string | null;
}

interface Link {
  label: string;
  url: string;
}

export interface EmailContent {
  /** What `<html lang>` says: the language, or the pseudo-locale's tag. */
  lang: string;
  dir: 'ltr' | 'rtl';
  subject: string;
  heading: string;
  greeting: string;
  body: string;
  /** The parcels this email is about: label, carrier, tracking number (linked), estimate. */
  parcels: { label: string | null; rows: [string, string, string | null][] }[];
  /** Blocks of the merchant's plain text (care guides) or facts (a warranty): a title, paragraphs, a link. */
  sections: { title: string; paragraphs: string[]; link: Link | null }[];
  /** Items (the order confirmation). */
  items: { title: string; quantity: number; imageUrl: string | null }[];
  /** Catalogue products (follow-up suggestions, the product to reorder), each linked. */
  products: ProductLink[];
  total: string | null;
  button: Link;
  links: Link[];
  support: string[];
  footer: string;
  footerLinks: Link[];
  postalAddress: string | null;
}

const SUBJECT: Record<MessageKind, MessageKey> = {
  order_confirmed: 'email.orderConfirmedSubject',
  shipped: 'email.shippedSubject',
  out_for_delivery: 'email.outForDeliverySubject',
  delivered: 'email.deliveredSubject',
  delayed: 'email.delayedSubject',
  exception: 'email.exceptionSubject',
  return_label_ready: 'email.returnLabelReadySubject',
  return_received: 'email.returnReceivedSubject',
  refund_released: 'email.refundReleasedSubject',
  review_invitation: 'email.reviewInvitationSubject',
  checkin: 'email.checkinSubject',
  warranty_reminder: 'email.warrantyReminderSubject',
  follow_up: 'email.followUpSubject',
  replenishment: 'email.replenishmentSubject',
};
const words = (kind: MessageKind, part: 'Heading' | 'Body') => SUBJECT[kind].replace(/Subject$/, part) as MessageKey;

/** What the email says. */
export function buildEmail(f: EmailFacts): EmailContent {
  const { store, order, kind } = f;
  const tr = emailWords(f);
  const locale = tr.locale;
  const orderUrl = orderPageUrl(f.publicUrl, store, order.token);
  const returnsPolicyUrl = `${f.publicUrl}/${store.slug}/returns`;
  const shipments = parcelsOf(order, kind, f.shipmentId, f.toldBefore ?? []);
  const first = shipments[0];
  const parcels = shipments.map((s) => {
    const index = order.shipments.indexOf(s) + 1;
    const rows: [string, string, string | null][] = [
      [tr.t('email.carrier'), s.carrierName, null],
      [tr.t('email.trackingNumber'), s.trackingCode, s.carrierUrl],
    ];
    const e = s.estimate;
    if (e.kind === 'expected') rows.push([tr.t(e.revised ? 'email.newEstimate' : 'email.estimate'), formatDay(e.date, locale), null]);
    else if (e.kind === 'checking') rows.push([tr.t('email.estimate'), tr.t('email.checking'), null]);
    else if (e.kind === 'delivered') rows.push([tr.t('email.deliveredHeading'), formatDay(e.date, locale), null]);
    return { label: order.shipments.length > 1 ? tr.t('email.parcelOf', { index, total: order.shipments.length }) : null, rows };
  });
  const links: Link[] = [];
  let button: Link = { label: tr.t('email.orderButton'), url: orderUrl };
  if (kind === 'shipped' || kind === 'order_confirmed') links.push({ label: tr.t('email.returnsPolicy'), url: returnsPolicyUrl });
  if (kind === 'delivered') {
    links.push({ label: tr.t('email.problemLink'), url: orderUrl });
    links.push({ label: tr.t('email.returnLink'), url: `${orderUrl}/returns/new` });
    links.push({ label: tr.t('email.reviewButton'), url: `${orderUrl}/review` });
  }
  if (kind === 'checkin' && first) {
    // Two one-tap answers that only open the page's check-in card with the choice made: a GET
    // records nothing (mailbox link scanners follow links), the card's one button confirms.
    const card = (answer: string) =>
      `${orderUrl}?checkin=${encodeURIComponent(first.trackingCode)}&answer=${answer}#checkin-${encodeURIComponent(first.trackingCode)}`;
    button = { label: tr.t('email.checkinAllGood'), url: card('all_good') };
    links.push({ label: tr.t('email.checkinProblem'), url: card('problem') });
  }
  if (kind === 'review_invitation') button = { label: tr.t('email.reviewButton'), url: `${orderUrl}/review` };
  const sections: EmailContent['sections'] = [];
  if (kind === 'delivered') {
    // Only the products this parcel brought: the guide arrives with the thing it is about.
    const skus = new Set(shipments.flatMap((s) => s.items.map((i) => i.sku)));
    for (const g of careGuidesOf((f.products ?? []).filter((p) => skus.has(p.sku))))
      sections.push({
        title: g.title,
        paragraphs: paragraphsOf(g.body),
        link: g.url ? { label: tr.t('email.careGuideLink', { product: g.productTitle }), url: g.url } : null,
      });
  }
  if (kind === 'warranty_reminder') {
    const p = (f.products ?? []).find((x) => x.registration && x.registration.id === f.registrationId);
    if (p?.registration) {
      const facts = [tr.t('email.warrantyEnds', { date: formatLongDay(p.registration.warrantyEndsOn, locale) })];
      if (p.registration.serial) facts.push(tr.t('email.warrantySerial', { serial: p.registration.serial }));
      sections.push({ title: p.title, paragraphs: facts, link: null });
      button = { label: tr.t('email.warrantyButton'), url: `${orderUrl}#registration-${encodeURIComponent(p.sku)}` };
    }
  }
  const products = kind === 'follow_up' || kind === 'replenishment' ? (f.suggested ?? []) : [];
  const list = new Intl.ListFormat(locale, { type: 'conjunction' }).format(products.map((p) => p.title));
  const named = {
    products: list,
    // A replenishment reminder names every product of the customer due that day ("Ground coffee and Filter papers").
    product: kind === 'replenishment' ? list : (products[0]?.title ?? ''),
    count: products.length,
    segment: f.segment ?? 'other',
  };
  if (kind === 'follow_up') button = { label: tr.t('email.followUpButton'), url: orderUrl };
  // One product: straight to its page. Several: each is linked in the list, the button opens the order.
  if (kind === 'replenishment')
    button = { label: tr.t('email.replenishmentButton'), url: (products.length === 1 ? products[0]?.url : null) ?? orderUrl };
  if ((kind === 'return_label_ready' || kind === 'return_received' || kind === 'refund_released') && f.returnUrl)
    button = { label: tr.t('email.returnButton'), url: f.returnUrl };
  const support: string[] = [];
  const supportEmail = store.settings.notifications.replyTo ?? store.branding.supportEmail;
  if (supportEmail) support.push(tr.t('email.support', { email: supportEmail }));
  if (store.branding.supportPhone) support.push(tr.t('email.supportPhone', { phone: store.branding.supportPhone }));
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: order.currency });
  const minor = 10 ** (money.resolvedOptions().maximumFractionDigits ?? 2);
  const marketing = f.messageClass === 'marketing';
  const footerLinks: Link[] = marketing && f.unsubscribeUrl ? [{ label: tr.t('email.unsubscribe'), url: f.unsubscribeUrl }] : [];
  footerLinks.push({ label: tr.t('email.preferences'), url: `${orderUrl}/preferences` });
  return {
    lang: tr.tag,
    dir: tr.dir,
    subject: tr.t(SUBJECT[kind], { number: order.number, ...named }),
    heading: tr.t(words(kind, 'Heading')),
    greeting: tr.t('email.greeting', { name: order.customerName.split(/\s+/)[0] ?? order.customerName }),
    body: tr.t(words(kind, 'Body'), { carrier: first?.carrierName ?? '', ...named }),
    parcels: kind === 'warranty_reminder' ? [] : kind === 'order_confirmed' ? expectedOf(order, tr, locale) : parcels,
    sections,
    items: kind === 'order_confirmed' ? order.items.map((i) => ({ title: i.title, quantity: i.quantity, imageUrl: i.imageUrl })) : [],
    products,
    total:
      kind === 'order_confirmed'
        ? `${tr.t('email.total')}: ${money.format(order.items.reduce((sum, i) => sum + i.unitAmount * i.quantity, 0) / minor)}`
        : null,
    button,
    links,
    support,
    footer: tr.t(marketing ? 'email.footerMarketing' : 'email.footerService', { store: store.name }),
    footerLinks,
    postalAddress: marketing ? store.settings.notifications.postalAddress : null,
  };
}

/**
 * The email's words: the store's own wording (the back office's copy editor) over the catalogue's,
 * as on the order page; the pseudo-locale only where it is switched on (tests), else English.
 */
function emailWords(f: EmailFacts): Translator {
  if (f.language === PSEUDO_TAG)
    return config().pseudoLocale ? pseudoTranslator() : translator('en', { overrides: f.store.settings.copy?.en });
  return translator(f.language, { orderLocale: f.order.locale, overrides: f.store.settings.copy?.[f.language] });
}

/** The order confirmation's one card: when the order should arrive (the store's rule, as on the order page). */
function expectedOf(order: OrderView, tr: Translator, locale: string): EmailContent['parcels'] {
  const e = order.unshippedEstimate;
  if (e.kind !== 'expected') return [];
  return [{ label: null, rows: [[tr.t('email.expectedDelivery'), formatDay(e.date, locale), null]] }];
}

/** The parcels an email is about: every shipped parcel for "shipped" (one email for a split order), else its own. */
function parcelsOf(
  order: OrderView,
  kind: MessageKind,
  shipmentId: string | null,
  toldBefore: EmailFacts['toldBefore'] & {},
): ShipmentView[] {
  if (kind === 'shipped') {
    // A parcel an earlier dispatch email was about, or that joined it (scanned within its hour), is not told twice.
    const told = (s: ShipmentView) =>
      toldBefore.some(
        (t) => t.shipmentId === s.id || (t.newsAt !== null && s.firstScanAt !== null && Math.abs(s.firstScanAt - t.newsAt) <= GROUP_MS),
      );
    return order.shipments.filter((s) => s.id === shipmentId || (s.firstScanAt !== null && !told(s)));
  }
  if (kind === 'order_confirmed') return [];
  return order.shipments.filter((s) => s.id === shipmentId);
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** The email as HTML and plain text, in the store's branding. */
export async function renderEmail(c: EmailContent, store: Store, publicUrl: string): Promise<RenderedEmail> {
  const theme = themeFor(store.branding);
  const values: string[] = [];
  const v = (s: string) => `WPV${values.push(s) - 1}X`;
  const shape = [
    c.parcels.map((p) => `${p.label ? 'L' : ''}${p.rows.map((r) => (r[2] ? 'u' : 'r')).join('')}`).join('|'),
    c.items.map((i) => (i.imageUrl ? 'i' : 'n')).join(''),
    c.sections.map((s) => `${s.paragraphs.length}${s.link ? 'l' : ''}`).join(','),
    c.products.map((p) => `${p.imageUrl ? 'i' : 'n'}${p.url ? 'u' : 'r'}`).join(''),
    c.total ? 't' : '',
    c.links.length,
    c.support.length,
    c.footerLinks.length,
    c.postalAddress ? 'a' : '',
    store.branding.logoUrl ? 'logo' : '',
  ].join(';');
  // The same sequence of v() calls for the same shape: the compiled HTML's placeholders line up.
  const source = emailLayout(c, store, theme, v, publicUrl);
  let compiled = COMPILED.get(shape);
  if (!compiled) {
    compiled = (await mjml2html(source, { validationLevel: 'soft', keepComments: false })).html;
    if (COMPILED.size > 500) COMPILED.clear();
    COMPILED.set(shape, compiled);
  }
  const html = compiled.replace(/WPV(\d+)X/g, (_, i: string) => escapeHtml(values[Number(i)] ?? ''));
  return { subject: c.subject, html, text: plainText(c) };
}
const COMPILED = new Map<string, string>();
function plainText(c: EmailContent): string {
  const lines = [c.heading, '', c.greeting, '', c.body, ''];
  for (const p of c.parcels) {
    if (p.label) lines.push(p.label);
    for (const [label, value, url] of p.rows) lines.push(`${label}: ${value}${url ? ` (${url})` : ''}`);
    lines.push('');
  }
  for (const s of c.sections) {
    lines.push(s.title, ...s.paragraphs);
    if (s.link) lines.push(`${s.link.label}: ${s.link.url}`);
    lines.push('');
  }
  for (const i of c.items) lines.push(`${i.quantity} × ${i.title}`);
  for (const p of c.products) lines.push(p.url ? `${p.title}: ${p.url}` : p.title);
  if (c.products.length) lines.push('');
  if (c.total) lines.push(c.total, '');
  lines.push(`${c.button.label}: ${c.button.url}`);
  for (const l of c.links) lines.push(`${l.label}: ${l.url}`);
  lines.push('', ...c.support, '', '--', c.footer);
  if (c.postalAddress) lines.push(c.postalAddress);
  for (const l of c.footerLinks) lines.push(`${l.label}: ${l.url}`);
  return lines.join('\n') + '\n';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
