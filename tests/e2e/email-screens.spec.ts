// The dispatch (shipped) and delay emails as a phone's mail app shows them: 390 px wide, light and
// dark (prefers-color-scheme), rendered by the back office's email preview for one of the demo
// store's real orders. Screenshots go to tests/.artifacts/ for a person to look at; the test
// itself checks nothing overflows sideways and that text keeps its contrast in both schemes.
import { expect, test, type Page } from '@playwright/test';

const base = () => process.env.E2E_BASE_URL!;
const KINDS = ['shipped', 'delayed'] as const;
const SCHEMES = ['light', 'dark'] as const;

async function signIn(page: Page) {
  await page.goto(`${base()}/admin/login`);
  await page.getByLabel('Email').fill('owner@northwind.example');
  await page.getByLabel('Password').fill('trailhead-demo-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

/** The email's HTML as the preview renders it for the store's most recent order. */
async function emailHtml(page: Page, kind: string): Promise<string> {
  await page.goto(`${base()}/admin/copy/email?kind=${kind}&lang=en`);
  const src = await page.locator('iframe.email-frame').getAttribute('src');
  expect(src).toBeTruthy();
  const r = await page.request.get(base() + src!);
  expect(r.status()).toBe(200);
  return r.text();
}

/** WCAG contrast of every text-bearing element against the background it is painted on; the worst few. */
function worstContrast(page: Page) {
  return page.evaluate(() => {
    const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const s = getComputedStyle(el);
        const c = parse(s.backgroundColor);
        if (c.length >= 3 && (c[3] === undefined || c[3] > 0.5)) return c;
        const attr = el.getAttribute('bgcolor');
        if (attr && /^#[0-9a-f]{6}$/i.test(attr)) return [1, 3, 5].map((i) => parseInt(attr.slice(i, i + 2), 16));
      }
      return [255, 255, 255];
    };
    const found: { text: string; ratio: number }[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim() !== '');
      if (!own || (el as HTMLElement).offsetParent === null) continue;
      const a = lum(parse(getComputedStyle(el).color));
      const b = lum(background(el));
      found.push({ text: el.textContent!.trim().slice(0, 40), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) });
    }
    return found.sort((x, y) => x.ratio - y.ratio).slice(0, 3);
  });
}

test.describe('email screens', () => {
  for (const kind of KINDS) {
    test(`${kind} email at 390 px, light and dark`, async ({ page, browser }) => {
      await signIn(page);
      const html = await emailHtml(page, kind);
      for (const colorScheme of SCHEMES) {
        const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme });
        const mail = await ctx.newPage();
        await mail.emulateMedia({ colorScheme });
        await mail.setContent(html, { waitUntil: 'load' });
        await mail.screenshot({ path: `tests/.artifacts/email-${kind}-${colorScheme}.png`, fullPage: true });
        const widths = await mail.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        expect(widths.scroll, 'nothing wider than the phone').toBeLessThanOrEqual(widths.client);
        const worst = await worstContrast(mail);
        expect(worst.length).toBeGreaterThan(0);
        expect(worst[0]!.ratio, `${colorScheme}: "${worst[0]!.text}" keeps 4.5:1`).toBeGreaterThanOrEqual(4.5);
        if (colorScheme === 'dark') {
          // The dark scheme really applies: the body text is light on a dark card.
          const heading = await mail.evaluate(() => getComputedStyle(document.querySelector('.wp-text div, .wp-text')!).color);
          expect(heading).toBe('rgb(236, 238, 241)');
        }
        await ctx.close();
      }
    });
  }
});
