// The embeddable HTML of a product's reviews: server-rendered, no script to run, every value
// escaped, with schema.org JSON-LD (one Product, its AggregateRating and the Reviews shown, under
// one @id) that says exactly what the visible part says. Stores include it in their product pages.
import { formatDay, dayInZone } from '../../lib/dates.ts';
import type { Store } from '../stores/store.ts';
import type { Translator } from '../i18n/translator.ts';
import { describeReviewPolicy } from './describe-review-policy.ts';
import type { ProductReviews } from './list-product-reviews.ts';
import { productJsonLd, scriptSafeJson } from './review-json-ld.ts';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe for HTML content and attribute values. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

const stars = (n: number) => '★'.repeat(Math.round(n)) + '☆'.repeat(5 - Math.round(n));

/** A message with HTML put in for its placeholders after the message itself is escaped (the visible numbers keep their spans). */
function withHtml(text: string, parts: Record<string, string>): string {
  return esc(text).replace(/\u0001(\w+)\u0001/g, (_, name: string) => parts[name] ?? '');
}

/** The fragment's HTML in the shopper's words; `selfUrl` is its own address (the JSON-LD @id and the next page's link). */
export function renderReviewsFragment(
  store: Pick<Store, 'name' | 'settings'>,
  p: ProductReviews,
  selfUrl: string,
  words: Translator,
): string {
  const { t, locale } = words;
  const id = `wp-reviews-${p.productId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const tz = store.settings.timeZone;
  const title = p.productTitle ?? p.productId;
  const a = p.aggregate;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const summary =
    a.count === 0
      ? `<p class="wp-reviews-empty">${esc(t('reviews.embed.empty'))}</p>`
      : `<p class="wp-reviews-aggregate"><span class="wp-rating" role="img" aria-label="${esc(t('reviews.stars.shown', { count: a.average! }))}">${stars(a.average!)}</span> ` +
        withHtml(t('reviews.embed.aggregate', { count: a.count, average: '\u0001average\u0001', shownCount: '\u0001count\u0001' }), {
          average: `<span class="wp-rating-value">${esc(number.format(a.average!))}</span>`,
          count: `<span class="wp-review-count">${esc(number.format(a.count))}</span>`,
        }) +
        `</p>`;
  const items = p.reviews
    .map((r) => {
      const day = dayInZone(r.publishedAt, tz);
      const reply = r.reply
        ? `<div class="wp-review-reply"><p><strong>${esc(t('reviews.embed.reply', { store: store.name }))}</strong></p><p>${esc(r.reply.body)}</p></div>`
        : '';
      return (
        `<li><article class="wp-review">` +
        `<p class="wp-rating" role="img" aria-label="${esc(t('reviews.stars.shown', { count: r.rating }))}">${stars(r.rating)}</p>` +
        (r.title ? `<h3>${esc(r.title)}</h3>` : '') +
        (r.body ? `<p class="wp-review-body">${esc(r.body)}</p>` : '') +
        `<p class="wp-review-meta">${esc(r.author)} · <span class="wp-verified">${esc(t('reviews.embed.verified'))}</span> · <time datetime="${day}">${esc(formatDay(day, locale))}</time></p>` +
        reply +
        `</article></li>`
      );
    })
    .join('');
  const next = p.nextCursor
    ? `<p><a class="wp-reviews-more" href="${esc(`${selfUrl}?cursor=${encodeURIComponent(p.nextCursor)}`)}">${esc(t('reviews.embed.more'))}</a></p>`
    : '';
  const disclosure = describeReviewPolicy(store.settings.reviews, store.name, words)
    .map((text) => `<p>${esc(text)}</p>`)
    .join('');
  return (
    `<section class="wp-reviews" id="${id}" lang="${esc(words.tag)}" dir="${words.dir}" aria-labelledby="${id}-title">` +
    `<h2 id="${id}-title">${esc(t('reviews.embed.title', { product: title }))}</h2>` +
    summary +
    (items ? `<ol class="wp-review-list">${items}</ol>` : '') +
    next +
    `<details class="wp-reviews-disclosure"><summary>${esc(t('reviews.disclosure.title'))}</summary>${disclosure}</details>` +
    `<script type="application/ld+json">${scriptSafeJson(productJsonLd(p, `${selfUrl}#product`))}</script>` +
    `</section>`
  );
}
