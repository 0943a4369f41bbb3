// One email, in the shopper's language and the store's colours: what it says (buildEmail, from the
// order as the order page reads it) and how it looks (renderEmail: MJML, so the HTML holds up in
// Gmail, Outlook and Apple Mail). Each layout shape is compiled by MJML once and kept; the words,
// links and colours are put into the compiled HTML afterwards, escaped, so nothing a merchant or
// shopper typed can become markup (no template injection) and rendering costs a string join.
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
import { ensureContrast } from '../../lib/color.ts';
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
  const source = layout(c, store, theme, v, publicUrl);
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
/** The dark palette: the email's body, and the lighter cards on it (parcels, sections) that links must contrast with. */
const DARK_MAIN = '#22252b';
const DARK_CARD = '#2c3038';

function layout(c: EmailContent, store: Store, theme: ReturnType<typeof themeFor>, v: (s: string) => string, publicUrl: string): string {
  const font = v(theme.font);
  const dirAttr = v(c.dir);
  const lang = v(c.lang);
  const brand = v(theme.brand);
  const onBrand = v(theme.onBrand);
  const accent = v(theme.accentOnLight);
  const onAccent = v(theme.onAccentLight);
  // Links sit on the dark card, lighter than the shopper pages' dark background: contrast against the card.
  const accentDark = v(ensureContrast(theme.accentOnDark, DARK_CARD));
  const logo = store.branding.logoUrl
    ? `<mj-image src="${v(store.branding.logoUrl.startsWith('/') ? publicUrl + store.branding.logoUrl : store.branding.logoUrl)}" alt="${v(store.name)}" width="160px" align="center" padding="16px" />`
    : `<mj-text align="center" font-size="20px" font-weight="700" color="${onBrand}" padding="16px">${v(store.name)}</mj-text>`;
  const parcels = c.parcels
    .map(
      (p) => `<mj-section css-class="wp-card" background-color="#f4f5f7" border-radius="8px" padding="8px 16px"><mj-column>
${p.label ? `<mj-text font-weight="700" padding="4px 0">${v(p.label)}</mj-text>` : ''}
${p.rows
  .map(
    (r) =>
      `<mj-text padding="4px 0" css-class="wp-text"><span style="color:#555a63" class="wp-muted">${v(r[0])}</span><br/><strong>${
        r[2] ? `<a href="${v(r[2])}" style="color:${accent}" class="wp-link">${v(r[1])}</a>` : v(r[1])
      }</strong></mj-text>`,
  )
  .join('\n')}
</mj-column></mj-section><mj-spacer height="8px" />`,
    )
    .join('\n');
  const sections = c.sections
    .map(
      (s) => `<mj-section css-class="wp-card" background-color="#f4f5f7" border-radius="8px" padding="8px 16px"><mj-column>
<mj-text font-weight="700" padding="4px 0" css-class="wp-text">${v(s.title)}</mj-text>
${s.paragraphs.map((para) => `<mj-text padding="4px 0" css-class="wp-text">${v(para)}</mj-text>`).join('\n')}
${s.link ? `<mj-text padding="4px 0"><a href="${v(s.link.url)}" style="color:${accent}" class="wp-link">${v(s.link.label)}</a></mj-text>` : ''}
</mj-column></mj-section><mj-spacer height="8px" />`,
    )
    .join('\n');
  const items = c.items
    .map(
      (i) =>
        `<mj-section padding="4px 16px"><mj-group>${
          i.imageUrl
            ? `<mj-column width="25%"><mj-image src="${v(i.imageUrl)}" alt="${v(i.title)}" width="64px" padding="0" /></mj-column>`
            : ''
        }<mj-column width="${i.imageUrl ? '75%' : '100%'}"><mj-text css-class="wp-text">${v(`${i.quantity} × ${i.title}`)}</mj-text></mj-column></mj-group></mj-section>`,
    )
    .join('\n');
  const products = c.products
    .map((p) => {
      const title = p.url ? `<a href="${v(p.url)}" style="color:${accent}" class="wp-link">${v(p.title)}</a>` : v(p.title);
      return `<mj-section padding="4px 16px"><mj-group>${
        p.imageUrl
          ? `<mj-column width="25%"><mj-image src="${v(p.imageUrl)}" alt="${v(p.title)}" width="80px" padding="0"${p.url ? ` href="${v(p.url)}"` : ''} /></mj-column>`
          : ''
      }<mj-column width="${p.imageUrl ? '75%' : '100%'}"><mj-text css-class="wp-text" font-weight="700">${title}</mj-text></mj-column></mj-group></mj-section>`;
    })
    .join('\n');
  const links = c.links
    .map((l) => `<a href="${v(l.url)}" style="color:${accent}" class="wp-link">${v(l.label)}</a>`)
    .join(' &nbsp;·&nbsp; ');
  const footerLinks = c.footerLinks
    .map((l) => `<a href="${v(l.url)}" style="color:#555a63" class="wp-muted">${v(l.label)}</a>`)
    .join(' &nbsp;·&nbsp; ');
  return `<mjml lang="${lang}" dir="${dirAttr}">
<mj-head>
<mj-title>${v(c.subject)}</mj-title>
<mj-preview>${v(c.body)}</mj-preview>
<mj-attributes><mj-all font-family="${font}" /><mj-text font-size="16px" line-height="24px" color="#1b1d21" padding="10px 0" /></mj-attributes>
<mj-raw><meta name="color-scheme" content="light dark" /><meta name="supported-color-schemes" content="light dark" /></mj-raw>
<mj-style>
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .wp-body, .wp-body > div { background-color: #16181d !important; }
  .wp-main, .wp-main table, .wp-main td { background-color: ${DARK_MAIN} !important; }
  .wp-main .wp-card, .wp-main .wp-card table, .wp-main .wp-card td { background-color: ${DARK_CARD} !important; }
  .wp-text div, .wp-text, .wp-text strong { color: #eceef1 !important; }
  .wp-muted, .wp-muted div { color: #b4b9c2 !important; }
  .wp-link { color: ${accentDark} !important; }
  .wp-main .wp-button td, .wp-main .wp-button a { background-color: ${accent} !important; color: ${onAccent} !important; }
}
</mj-style>
</mj-head>
<mj-body background-color="#eef0f3" css-class="wp-body" width="600px">
<mj-section background-color="${brand}" padding="0"><mj-column>${logo}</mj-column></mj-section>
<mj-wrapper background-color="#ffffff" css-class="wp-main" padding="16px 8px">
<mj-section padding="0 16px"><mj-column>
<mj-text font-size="24px" line-height="30px" font-weight="700" css-class="wp-text">${v(c.heading)}</mj-text>
<mj-text css-class="wp-text">${v(c.greeting)}</mj-text>
<mj-text css-class="wp-text">${v(c.body)}</mj-text>
</mj-column></mj-section>
${parcels}
${sections}
${items}
${products}
${c.total ? `<mj-section padding="0 16px"><mj-column><mj-text font-weight="700" css-class="wp-text">${v(c.total)}</mj-text></mj-column></mj-section>` : ''}
<mj-section padding="8px 16px"><mj-column>
<mj-button href="${v(c.button.url)}" background-color="${accent}" color="${onAccent}" font-size="16px" font-weight="700" border-radius="6px" inner-padding="14px 24px" padding="10px 0" width="100%" css-class="wp-button">${v(c.button.label)}</mj-button>
${c.links.length ? `<mj-text align="center" css-class="wp-text">${links}</mj-text>` : ''}
${c.support.map((s) => `<mj-text font-size="14px" css-class="wp-muted" color="#555a63">${v(s)}</mj-text>`).join('\n')}
</mj-column></mj-section>
</mj-wrapper>
<mj-section padding="16px"><mj-column>
<mj-text font-size="12px" line-height="18px" color="#555a63" align="center" css-class="wp-muted">${v(c.footer)}${
    c.postalAddress ? `<br/>${v(c.postalAddress)}` : ''
  }<br/>${footerLinks}</mj-text>
</mj-column></mj-section>
</mj-body>
</mjml>`;
}

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
