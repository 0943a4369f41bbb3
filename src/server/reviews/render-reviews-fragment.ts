// The embeddable HTML of a product's reviews: server-rendered, no script to run, every value
// escaped, with schema.org JSON-LD (one Product, its AggregateRating and the Reviews shown, under
// one @id) that says exactly what the visible part says. Stores include it in their product pages.
import { formatDay, dayInZone } from '../../lib/dates.ts';
import type { Store } from '../stores/store.ts';
import { translator } from '../i18n/translator.ts';
import { describeReviewPolicy } from './describe-review-policy.ts';
import type { ProductReviews } from './list-product-reviews.ts';
import { productJsonLd, scriptSafeJson } from './review-json-ld.ts';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe for HTML content and attribute values. */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]!);

const stars = (n: number) => '★'.repeat(Math.round(n)) + '☆'.repeat(5 - Math.round(n));

/** The fragment's HTML; `selfUrl` is its own address (the JSON-LD @id and the next page's link). */
export function renderReviewsFragment(store: Pick<Store, 'name' | 'settings'>, p: ProductReviews, selfUrl: string): string {
  const id = `wp-reviews-${p.productId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const tz = store.settings.timeZone;
  const title = p.productTitle ?? p.productId;
  const a = p.aggregate;
  const summary =
    a.count === 0
      ? `<p class="wp-reviews-empty">No reviews yet.</p>`
      : `<p class="wp-reviews-aggregate"><span class="wp-rating" role="img" aria-label="${a.average} out of 5 stars">${stars(a.average!)}</span> ` +
        `<span class="wp-rating-value">${a.average}</span> out of 5 · <span class="wp-review-count">${a.count}</span> ${a.count === 1 ? 'review' : 'reviews'}</p>`;
  const items = p.reviews
    .map((r) => {
      const day = dayInZone(r.publishedAt, tz);
      const reply = r.reply
        ? `<div class="wp-review-reply"><p><strong>Reply from ${esc(store.name)}</strong></p><p>${esc(r.reply.body)}</p></div>`
        : '';
      return (
        `<li><article class="wp-review">` +
        `<p class="wp-rating" role="img" aria-label="${r.rating} out of 5 stars">${stars(r.rating)}</p>` +
        (r.title ? `<h3>${esc(r.title)}</h3>` : '') +
        (r.body ? `<p class="wp-review-body">${esc(r.body)}</p>` : '') +
        `<p class="wp-review-meta">${esc(r.author)} · <span class="wp-verified">Verified buyer</span> · <time datetime="${day}">${esc(formatDay(day, 'en-US'))}</time></p>` +
        reply +
        `</article></li>`
      );
    })
    .join('');
  const next = p.nextCursor
    ? `<p><a class="wp-reviews-more" href="${esc(`${selfUrl}?cursor=${encodeURIComponent(p.nextCursor)}`)}">More reviews</a></p>`
    : '';
  // The fragment is still English throughout (its own words are not in the catalogue yet).
  const english = translator('en');
  const disclosure = describeReviewPolicy(store.settings.reviews, store.name, english)
    .map((t) => `<p>${esc(t)}</p>`)
    .join('');
  return (
    `<section class="wp-reviews" id="${id}" aria-labelledby="${id}-title">` +
    `<h2 id="${id}-title">Reviews of ${esc(title)}</h2>` +
    summary +
    (items ? `<ol class="wp-review-list">${items}</ol>` : '') +
    next +
    `<details class="wp-reviews-disclosure"><summary>${english.t('reviews.disclosure.title')}</summary>${disclosure}</details>` +
    `<script type="application/ld+json">${scriptSafeJson(productJsonLd(p, `${selfUrl}#product`))}</script>` +
    `</section>`
  );
}
