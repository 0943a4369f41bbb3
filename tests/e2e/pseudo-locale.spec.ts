// Every shopper page in the pseudo-locale (?lang=en-XA: each catalogue word accented, a third longer
// and fenced in ⟦ ⟧), the stand-in for the longest real translation: nothing may stick out of the
// screen, on a 390 px phone above all. The look-up and its refusal, the order page in each demo
// state, the return flow's steps, the review form, the after-delivery parts (check-in card and its
// refusal, care guides, registration, the claim form and its refusal), the returns policy page and
// the email preferences. The server runs with WAYPOST_PSEUDO_LOCALE=1 (support/e2e-global-setup.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { useDatabase } from '../../src/server/db.ts';
import { asDelivered } from '../support/after-delivery-state.ts';
import { overflowing } from '../support/overflow.ts';

const PSEUDO = 'lang=en-XA';
const base = () => process.env.E2E_BASE_URL!;
const links = () => JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>;
const link = (label: string) => {
  const url = links()[label];
  if (!url) throw new Error(`no demo link "${label}" in ${Object.keys(links()).join(', ')}`);
  return url;
};
const DELIVERED = 'Delivered';
const LAST_WEEK = 'Delivered last week (ready for a review)';

const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

/** Opens `url` in the pseudo-locale, checks it really is (marked words), that nothing sticks out, and keeps a screenshot. */
async function fits(page: Page, what: string, url?: string) {
  if (url) await page.goto(`${url}${url.includes('?') ? '&' : '?'}${PSEUDO}`);
  await expect(page.locator('main')).toContainText('⟦');
  expect(await overflowing(page), what).toEqual([]);
  const name = what.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  await page.screenshot({ path: `${artifacts}pseudo-${name}-${test.info().project.name}.png`, fullPage: true });
}

test.describe.configure({ mode: 'serial' });
test.beforeAll(() => {
  useDatabase(join(process.env.E2E_DATA_DIR!, 'waypost.db'));
});
// ?lang=en-XA is not a language the store's cookie remembers (only real ones are): the test sets
// that cookie itself, so the pages a form leads to (a refusal, the next step) stay in it too.
test.beforeEach(async ({ context }) => {
  await context.addCookies([{ name: 'waypost_lang', value: 'en-XA', url: `${base()}/demo/` }]);
});

test('the look-up page and its refusal', async ({ page }) => {
  await fits(page, 'look-up', `${base()}/demo`);
  await page.locator('input[name=order]').fill('no-such-order-number-at-all');
  await page.locator('input[name=contact]').fill('nobody@example.com');
  await page.locator('main form button[type=submit]').click();
  await expect(page.locator('.error, [role=alert]').first()).toBeVisible();
  await fits(page, 'look-up refused');
});

test('the order page in every demo state', async ({ page }) => {
  const labels = Object.keys(links());
  for (const label of ['In transit', DELIVERED, 'Late (past its promised date)', 'Carrier exception (address problem)'])
    expect(labels).toContain(label);
  for (const label of labels) await fits(page, `order page: ${label}`, link(label));
});

test('the return flow: choose, refused, review', async ({ page }) => {
  await fits(page, 'return step 1', `${link(DELIVERED)}/returns/new`);
  await page.locator('main form button[type=submit]').last().click();
  await expect(page.locator('[role=alert], .field-error').first()).toBeVisible();
  await fits(page, 'return step 1 refused');
  await page.locator('select[name^="qty["]').first().selectOption({ index: 1 });
  await page.locator('select[name^="reason["]').first().selectOption({ index: 1 });
  await page.locator('main form button[type=submit]').last().click();
  await expect(page.locator('[aria-current="step"]')).not.toContainText(await page.locator('.steps li').first().innerText());
  await fits(page, 'return step 2 (review)');
});

test('the review form and the returns policy and email preferences pages', async ({ page }) => {
  await fits(page, 'review form', `${link(LAST_WEEK)}/review`);
  await fits(page, 'returns policy', `${base()}/demo/returns`);
  await fits(page, 'email preferences', `${link(DELIVERED)}/preferences`);
});

test('after delivery: the check-in card, care guides, registration and the claim', async ({ page }) => {
  await asDelivered('1040');
  await page.goto(`${link(LAST_WEEK)}?${PSEUDO}`);
  const checkin = page.locator('form[action$="/checkin"]');
  await expect(checkin).toBeVisible();
  await expect(page.locator('.care-guide').first()).toBeVisible();
  const registration = page.locator('form[action$="/registrations"]').first();
  await expect(registration).toBeVisible();
  await fits(page, 'after delivery: check-in, care guides, registration');

  // Sent with no answer chosen (past the browser's own check, as an old browser would): the refusal page.
  await checkin.evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await checkin.locator('button[type=submit]').click();
  await expect(page.locator('[role=alert]')).toBeVisible();
  await fits(page, 'check-in refused');

  // Registered, the claim form opens under it; sent empty, it is refused.
  await page.goto(`${link(LAST_WEEK)}?${PSEUDO}`);
  await page.locator('form[action$="/registrations"]').first().locator('button[type=submit]').click();
  await expect(page).toHaveURL(/\?registered=/);
  const claim = page.locator('form[action$="/registrations/claim"]').first();
  await page.locator('details:has(form[action$="/registrations/claim"]) > summary').first().click();
  await expect(claim).toBeVisible();
  await fits(page, 'after delivery: registered, claim form open');
  await claim.evaluate((f: HTMLFormElement) => (f.noValidate = true));
  await claim.locator('button[type=submit]').click();
  await expect(page.locator('[role=alert]')).toBeVisible();
  await fits(page, 'claim refused');
  await asDelivered('1040');
});

test('is a check that can fail: a long word in a fixed box, clipped or not, and a page wider than the phone', async ({ page }) => {
  const phone = (body: string) => page.setContent(`<meta name="viewport" content="width=device-width"><main>${body}</main>`);
  const word = '⟦' + 'Ŵîđéŵöŕđ'.repeat(40) + '⟧';
  await phone(`<p style="width: 200px; white-space: nowrap">${word}</p>`);
  expect(await overflowing(page)).toContainEqual(expect.stringMatching(/^text in p "⟦Ŵîđéŵöŕđ/));
  await phone(`<p style="width: 200px; overflow: hidden; white-space: nowrap">${word}</p>`);
  expect(await overflowing(page)).toEqual([expect.stringMatching(/^text in p "⟦Ŵîđéŵöŕđ/)]);
  await phone('<div style="width: 150vw">⟦wide⟧</div>');
  expect((await overflowing(page))[0]).toMatch(/^page scrolls sideways/);
  await phone(
    '<a style="position: absolute; left: -999px">Skip</a><div style="overflow-x: auto"><p style="width: 300vw">wide table</p></div>',
  );
  expect(await overflowing(page)).toEqual([]);
});
