// Last week's delivery after it arrived, in German and in Arabic on a phone: the check-in card,
// the care guides and the warranty registration read in the shopper's language (no English
// label left), the page mirrors right to left in Arabic, nothing sticks out of the screen, and axe
// finds nothing in light or dark; screenshots in tests/.artifacts.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useDatabase } from '../../src/server/db.ts';
import { asDelivered } from '../support/after-delivery-state.ts';
import { overflowing } from '../support/overflow.ts';

const link = (label: string) => (JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>)[label]!;
const ORDER = 'Delivered last week (ready for a review)';
const TENT = 'Ridgeline two-person tent';
const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

const WORDS = {
  de: {
    dir: 'ltr',
    checkin: 'Ist alles so angekommen, wie es sollte?',
    allGood: 'Ja, alles in Ordnung',
    register: `Registrieren Sie Ihr Produkt „${TENT}“`,
    submit: 'Produkt registrieren',
    readMore: 'Vollständige Anleitung lesen',
  },
  ar: {
    dir: 'rtl',
    checkin: 'هل وصل كل شيء كما يجب؟',
    allGood: 'نعم، كل شيء على ما يرام',
    register: `سجّل ${TENT}`,
    submit: 'سجّل منتجك',
    readMore: 'اقرأ الدليل كاملًا',
  },
} as const;
/** The English labels of these parts: none may be left on a page in another language. */
const ENGLISH = [
  'Did everything arrive',
  'Yes, all good',
  'Send answer',
  'Register your',
  'Serial number',
  'Remind me',
  'Read the full guide',
  'Looking after',
];

async function axe(page: Page, what: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(result.violations.map((v) => `${what} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// axe over a whole page twice (light and dark) takes long on a small machine.
test.setTimeout(240_000);
test.describe.configure({ mode: 'serial' });
test.beforeAll(() => {
  useDatabase(join(process.env.E2E_DATA_DIR!, 'waypost.db'));
});

for (const lang of ['de', 'ar'] as const) {
  const w = WORDS[lang];
  test(`${lang}: the check-in card, care guides and registration after delivery`, async ({ page }, info) => {
    await asDelivered('1040');
    await page.goto(`${link(ORDER)}?lang=${lang}`);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.locator('html')).toHaveAttribute('dir', w.dir);
    const card = page.getByRole('region', { name: w.checkin });
    await expect(card.getByLabel(w.allGood)).toBeVisible();
    await expect(page.getByRole('link', { name: w.readMore }).first()).toBeVisible();
    const registration = page.getByRole('region', { name: w.register });
    await expect(registration.getByRole('button', { name: w.submit })).toBeVisible();
    const main = (await page.locator('main').innerText()).replaceAll(TENT, '');
    expect(ENGLISH.filter((e) => main.includes(e))).toEqual([]);
    expect(await overflowing(page), `${lang} after delivery`).toEqual([]);

    // In Arabic the radio sits to the right of its words, and each card's heading starts on the right.
    const radio = await card.getByLabel(w.allGood).boundingBox();
    const label = await card.locator('label', { hasText: w.allGood }).boundingBox();
    if (w.dir === 'rtl') expect(radio!.x).toBeGreaterThan(label!.x);
    else expect(radio!.x).toBeLessThan(label!.x);
    const heading = await registration.getByRole('heading').boundingBox();
    const box = await registration.boundingBox();
    const startGap = w.dir === 'rtl' ? box!.x + box!.width - (heading!.x + heading!.width) : heading!.x - box!.x;
    expect(startGap).toBeLessThan(30);

    await axe(page, `${lang} after delivery`);
    const shot = (part: string) => `${artifacts}after-delivery-${lang}-${part}-${info.project.name}.png`;
    await page.screenshot({ path: shot('page'), fullPage: true });
    // Each part on its own too, at a size one can read.
    await card.screenshot({ path: shot('checkin') });
    await page
      .locator('.care-guide')
      .first()
      .screenshot({ path: shot('care-guide') });
    await registration.screenshot({ path: shot('registration') });
  });
}
