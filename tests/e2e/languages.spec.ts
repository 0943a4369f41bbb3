// The shopper's pages in German and Arabic on a phone: the order page, the return flow and the
// review form, each with axe (light and dark), no sideways scroll, the milestone bar mirrored right
// to left and never breaking a step's name inside a word; screenshots in tests/.artifacts.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const base = () => process.env.E2E_BASE_URL!;
const links = () => JSON.parse(process.env.E2E_DEMO_LINKS ?? '{}') as Record<string, string>;
const link = (label: string) => {
  const url = links()[label];
  if (!url) throw new Error(`no demo link "${label}" in ${Object.keys(links()).join(', ')}`);
  return url;
};
const artifacts = fileURLToPath(new URL('../.artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

const WORDS = {
  de: {
    dir: 'ltr',
    split: /1 von 2 Paketen zugestellt/,
    startReturn: 'Rücksendung starten',
    returnHeading: 'Rücksendung starten',
    continue: 'Weiter',
    chooseAtLeastOne: 'Bitte wählen Sie mindestens einen Artikel für die Rücksendung.',
    reviewHeading: 'Ihre Artikel bewerten',
  },
  ar: {
    dir: 'rtl',
    split: /تم توصيل .+ من .+ طرود/,
    startReturn: 'ابدأ الإرجاع',
    returnHeading: 'ابدأ الإرجاع',
    continue: 'متابعة',
    chooseAtLeastOne: 'اختر منتجًا واحدًا على الأقل لإرجاعه.',
    reviewHeading: 'قيّم منتجاتك',
  },
} as const;

async function axe(page: Page, what: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(result.violations.map((v) => `${what} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function noSidewaysScroll(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, what).toBeLessThanOrEqual(0);
}

/** Each step's name breaks only between words ("Delivere|d" never), and fits its step. */
async function milestoneNamesWhole(page: Page, what: string) {
  const broken = await page.evaluate(() =>
    [...document.querySelectorAll('.milestones .milestone-name')].flatMap((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      const words = (el.textContent ?? '').trim().split(/\s+/).length;
      const li = el.parentElement!;
      return lines > words || li.scrollWidth > li.clientWidth + 1 ? [`${el.textContent} (${lines} lines, ${words} words)`] : [];
    }),
  );
  expect(broken, what).toEqual([]);
}

// axe over a whole page takes long on a small machine: each test runs it four times.
test.setTimeout(300_000);

for (const lang of ['de', 'ar'] as const) {
  const w = WORDS[lang];

  test(`${lang}: the order page, mirrored where it reads right to left`, async ({ page }, info) => {
    for (const label of [
      'One parcel delivered, one moving',
      'In transit',
      'Late (past its promised date)',
      'Carrier exception (address problem)',
    ]) {
      await page.goto(`${link(label)}?lang=${lang}`);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('html')).toHaveAttribute('dir', w.dir);
      await noSidewaysScroll(page, `${lang} ${label}`);
      await milestoneNamesWhole(page, `${lang} ${label}`);
    }
    await page.goto(`${link('One parcel delivered, one moving')}?lang=${lang}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.split);
    // The bar runs in the reading direction: "ordered" first on the right in Arabic.
    const [first, last] = await page.evaluate(() => {
      const steps = [...document.querySelectorAll('.milestones')][0]!.querySelectorAll('li');
      return [steps[0]!.getBoundingClientRect().x, steps[steps.length - 1]!.getBoundingClientRect().x];
    });
    if (w.dir === 'rtl') expect(first).toBeGreaterThan(last);
    else expect(first).toBeLessThan(last);
    await axe(page, `${lang} order page`);
    await page.screenshot({ path: `${artifacts}lang-${lang}-order-${info.project.name}.png`, fullPage: true });
    await page.goto(`${link('Late (past its promised date)')}?lang=${lang}`);
    await page.screenshot({ path: `${artifacts}lang-${lang}-late-${info.project.name}.png`, fullPage: true });
  });

  test(`${lang}: the return flow keeps the chosen language from the order page on`, async ({ page }, info) => {
    await page.goto(`${link('Delivered')}?lang=${lang}`);
    await page.getByRole('link', { name: w.startReturn }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.returnHeading);
    await expect(page.locator('html')).toHaveAttribute('dir', w.dir);
    await noSidewaysScroll(page, `${lang} return step 1`);
    await axe(page, `${lang} return step 1`);
    await page.getByRole('button', { name: w.continue }).click();
    await expect(page.getByText(w.chooseAtLeastOne)).toBeVisible();
    await axe(page, `${lang} return step 1 with errors`);
    await page.screenshot({ path: `${artifacts}lang-${lang}-return-${info.project.name}.png`, fullPage: true });
  });

  test(`${lang}: the review form`, async ({ page }, info) => {
    await page.goto(`${link('Delivered last week (ready for a review)')}?lang=${lang}`);
    await page.goto(`${link('Delivered last week (ready for a review)')}/review`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.reviewHeading);
    await expect(page.locator('html')).toHaveAttribute('dir', w.dir);
    await noSidewaysScroll(page, `${lang} review form`);
    await axe(page, `${lang} review form`);
    await page.screenshot({ path: `${artifacts}lang-${lang}-review-${info.project.name}.png`, fullPage: true });
  });
}
