// How an email looks: the MJML layout (store colours, light and dark palettes, parcels, sections,
// items, products, button, footer). Nothing here is the shopper's or merchant's text: each value
// is a placeholder from `v`, so the layout's markup is fixed per shape and compiled once.
import { ensureContrast } from '../../lib/color.ts';
import type { themeFor } from '../stores/branding.ts';
import type { Store } from '../stores/store.ts';
import type { EmailContent } from './render-email.ts';

/** The dark palette: the email's body, and the lighter cards on it (parcels, sections) that links must contrast with. */
const DARK_MAIN = '#22252b';
const DARK_CARD = '#2c3038';

/**
 * The email's MJML source, with every word, link and colour given to `v`, which answers the
 * placeholder to put in its place (renderEmail fills them in, escaped, after MJML compiled it):
 * the same calls in the same order for emails of the same shape.
 */
export function emailLayout(
  c: EmailContent,
  store: Store,
  theme: ReturnType<typeof themeFor>,
  v: (s: string) => string,
  publicUrl: string,
): string {
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
