// Spam rules without a captcha: lengths, links, the honeypot, and only the order's products.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/server/errors.ts';
import { defaultDisplayName } from '../../../src/server/reviews/display-name.ts';
import { countLinks, LIMITS, readReviewInput } from '../../../src/server/reviews/review-input.ts';

const ids = ['TENT', 'MUG'];
function errorsOf(fields: Record<string, string>) {
  try {
    readReviewInput(fields, ids);
    return [];
  } catch (e) {
    if (!isAppError(e, 'invalid')) throw e;
    return e.errors.map((x) => `${x.pointer} ${x.detail}`);
  }
}

describe('readReviewInput', () => {
  it('reads one rating per product, skips products left unrated', () => {
    const r = readReviewInput({ 'rating[TENT]': '4', 'title[TENT]': ' Good ', 'body[TENT]': 'Dry night', name: 'Ann' }, ids);
    expect(r).toEqual({ name: 'Ann', robot: false, products: [{ productId: 'TENT', rating: 4, title: 'Good', body: 'Dry night' }] });
  });

  it.each([
    [{ 'rating[TENT]': '6' }, '/rating/TENT Choose from 1 to 5 stars'],
    [{ 'rating[TENT]': '0' }, '/rating/TENT Choose from 1 to 5 stars'],
    [{ 'rating[TENT]': '4.5' }, '/rating/TENT Choose from 1 to 5 stars'],
    [{ 'body[TENT]': 'words but no stars' }, '/rating/TENT Choose from 1 to 5 stars'],
    [{}, '/rating Choose a star rating for at least one item'],
    [{ 'rating[TENT]': '5', 'body[TENT]': 'x'.repeat(LIMITS.body + 1) }, '/body/TENT A review can be at most 4,000 characters'],
    [{ 'rating[TENT]': '5', 'title[TENT]': 'x'.repeat(LIMITS.title + 1) }, '/title/TENT A title can be at most 120 characters'],
    [{ 'rating[TENT]': '5', name: 'x'.repeat(LIMITS.name + 1) }, '/name Your name can be at most 40 characters'],
    [{ 'rating[TENT]': '5', 'body[TENT]': 'Cheap tents at https://spam.example' }, '/body/TENT Please leave out web links'],
    [{ 'rating[TENT]': '5', 'body[TENT]': 'visit www.deals.example now' }, '/body/TENT Please leave out web links'],
    [{ 'rating[TENT]': '5', name: 'bestdeals.com' }, '/name Please leave out web links'],
    [{ 'rating[OTHER]': '5' }, '/rating/OTHER This product cannot be reviewed on this order'],
  ])('refuses %j', (fields, message) => {
    expect(errorsOf(fields as Record<string, string>)).toContain(message);
  });

  it('flags the honeypot', () => {
    expect(readReviewInput({ 'rating[MUG]': '5', website: 'http://x' }, ids).robot).toBe(true);
  });

  it('counts links, but not a sentence that ends a word with a full stop', () => {
    expect(countLinks('See http://a.example and www.b.example')).toBe(2);
    expect(countLinks('It works.Great. Size 10.5 fits.')).toBe(0);
  });
});

describe('defaultDisplayName', () => {
  it.each([
    ['Ann Lee', 'Ann L.'],
    ['  María José   van der Berg ', 'María B.'],
    ['Prince', 'Prince'],
    ['', 'Verified buyer'],
  ])('%j → %j', (name, expected) => expect(defaultDisplayName(name)).toBe(expected));
});
