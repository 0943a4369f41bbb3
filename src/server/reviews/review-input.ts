// The review form as the domain reads it, with the rules that keep spam out without a captcha:
// length limits, no web links, a honeypot field people never see, and (in submit-review.ts) a
// limit on submissions per order. Field names are DESIGN.md's: rating[PRODUCT], title[PRODUCT],
// body[PRODUCT], name; `website` is the honeypot.
import { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';

export const LIMITS = { title: 120, body: 4000, name: 40 } as const;
/** Web links allowed in a review's text: none (links are how review spam pays). */
const MAX_LINKS = 0;
export const HONEYPOT_FIELD = 'website';

const LINK = /\bhttps?:\/\/|\bwww\.|\b[a-z0-9-]+\.(?:com|net|org|io|co|info|biz|ru|xyz|shop|store|link|ly)\b/gi;

/** How many web links a text holds. */
export function countLinks(text: string): number {
  return (text.match(LINK) ?? []).length;
}

interface ProductReviewInput {
  productId: string;
  rating: number;
  title: string;
  body: string;
}

export interface ReviewInput {
  name: string;
  products: ProductReviewInput[];
  /** The honeypot was filled in: a robot. */
  robot: boolean;
}

const text = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} can be at most ${max.toLocaleString('en-US')} characters`)
    .refine((t) => countLinks(t) <= MAX_LINKS, 'Please leave out web links');

/** A text field's refusal, with the code shopper pages word it by ("tooLong" with its limit, or "links"). */
function textError(error: z.ZodError, max: number): Omit<FieldError, 'pointer'> {
  const issue = error.issues[0]!;
  return issue.code === 'too_big' ? { detail: issue.message, code: 'tooLong', values: { max } } : { detail: issue.message, code: 'links' };
}

/** Reads the posted fields for the given reviewable products; throws 'invalid' with every problem. */
export function readReviewInput(fields: Record<string, string>, productIds: string[]): ReviewInput {
  const errors: FieldError[] = [];
  const products: ProductReviewInput[] = [];
  const field = (name: string, id: string) => fields[`${name}[${id}]`] ?? '';
  for (const productId of productIds) {
    const ratingText = field('rating', productId).trim();
    const title = text(LIMITS.title, 'A title').safeParse(field('title', productId));
    const body = text(LIMITS.body, 'A review').safeParse(field('body', productId));
    if (!title.success) errors.push({ pointer: `/title/${productId}`, ...textError(title.error, LIMITS.title) });
    if (!body.success) errors.push({ pointer: `/body/${productId}`, ...textError(body.error, LIMITS.body) });
    if (ratingText === '') {
      if ((title.data ?? '') !== '' || (body.data ?? '') !== '')
        errors.push({ pointer: `/rating/${productId}`, detail: 'Choose from 1 to 5 stars', code: 'rating' });
      continue; // not reviewing this one
    }
    if (!/^[1-5]$/.test(ratingText)) {
      errors.push({ pointer: `/rating/${productId}`, detail: 'Choose from 1 to 5 stars', code: 'rating' });
      continue;
    }
    if (title.success && body.success) products.push({ productId, rating: Number(ratingText), title: title.data, body: body.data });
  }
  const name = text(LIMITS.name, 'Your name').safeParse(fields.name ?? '');
  if (!name.success) errors.push({ pointer: '/name', ...textError(name.error, LIMITS.name) });
  // Only the order's own products: a posted id of another product is refused, not ignored.
  for (const key of Object.keys(fields)) {
    const m = /^(?:rating|title|body)\[(.*)\]$/.exec(key);
    if (m && !productIds.includes(m[1]!))
      errors.push({ pointer: `/rating/${m[1]}`, detail: 'This product cannot be reviewed on this order', code: 'notReviewable' });
  }
  if (errors.length === 0 && products.length === 0)
    errors.push({ pointer: '/rating', detail: 'Choose a star rating for at least one item', code: 'atLeastOne' });
  if (errors.length) throw new AppError('invalid', 'The review could not be saved', errors);
  return { name: name.data ?? '', products, robot: (fields[HONEYPOT_FIELD] ?? '').trim() !== '' };
}
