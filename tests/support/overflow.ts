// Does anything stick out of a phone's screen? The page must not scroll sideways, and no element
// that is partly on screen may pass its edge (text cut at the side is lost even when the page
// itself does not scroll, e.g. under overflow: hidden or right to left, where the far side never
// scrolls). Elements wholly off screen on purpose (the skip link until focused) and those inside a
// box that scrolls itself or is clipped to nothing for screen readers are left out.
import type { Page } from '@playwright/test';

/** What passes the viewport's sides: "page scrolls sideways…", "tag.class "text…" (left–right)" and "text in tag…" lines; empty when all fits. */
export async function overflowing(page: Page): Promise<string[]> {
  // The viewport Playwright was given, not innerWidth: a phone zooms out to fit a page that is too
  // wide, and innerWidth grows with it.
  const viewport = page.viewportSize()?.width ?? Infinity;
  return page.evaluate((viewport) => {
    const width = Math.min(viewport, window.innerWidth);
    const found: string[] = [];
    const scroll = document.documentElement.scrollWidth;
    if (scroll > width) found.push(`page scrolls sideways: scrollWidth ${scroll} > ${width}`);
    // Inside a box that scrolls itself, or one clipped to nothing (.visually-hidden, for screen readers).
    const leftOut = (el: Element) => {
      for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (a !== el && (style.overflowX === 'auto' || style.overflowX === 'scroll')) return true;
        if (style.getPropertyValue('clip') !== 'auto' && style.position === 'absolute') return true;
      }
      return false;
    };
    const sticksOut = (r: DOMRect) =>
      r.width > 0 && r.height > 0 && r.right > 0 && r.left < width && (r.left < -0.5 || r.right > width + 0.5);
    const report = (el: Element, r: DOMRect, what: string) => {
      if (getComputedStyle(el).visibility === 'hidden' || leftOut(el)) return;
      const classes = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      found.push(
        `${what}${el.tagName.toLowerCase()}${classes} "${(el.textContent ?? '').trim().slice(0, 50)}" (${Math.round(r.left)}–${Math.round(r.right)} of ${width})`,
      );
    };
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (sticksOut(r)) report(el, r, '');
    }
    // Text can run out of a box that itself fits (a long word in a fixed width, clipped or not).
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent?.trim() || !n.parentElement) continue;
      range.selectNodeContents(n);
      const out = [...range.getClientRects()].find(sticksOut);
      if (out) report(n.parentElement, out, 'text in ');
    }
    return found;
  }, viewport);
}
