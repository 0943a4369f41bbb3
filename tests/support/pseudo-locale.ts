// The pseudo-locale check shared by the page and email tests: with every catalogue message marked
// (⟦accented⟧, dates and numbers in Japanese), any Latin word left once the marks and the stored
// data (the store's, the order's, the carrier's own words) are taken out did not come from the catalogue.

/** Every string inside rows of stored data, JSON columns opened up, longest first (so a longer value is taken out whole). */
export function stringsIn(rows: unknown[]): string[] {
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.length >= 2) out.add(v);
      if (/^[[{]/.test(v)) {
        try {
          add(JSON.parse(v));
        } catch {
          // not JSON: kept as it is
        }
      }
    } else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object') Object.values(v).forEach(add);
  };
  rows.forEach(add);
  return [...out].sort((a, b) => b.length - a.length);
}

/** The visible text of a page: text nodes and the attributes people read, minus scripts, styles and text marked as another language. */
export function visibleTexts(html: string): string[] {
  const body = html
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<style\b[\s\S]*?<\/style>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    // The language switcher names each language in itself (lang="…" on the link).
    .replace(/<(a|span)\b[^>]*\slang="[^"]*"[^>]*>[^<]*<\/\1>/gi, '');
  const texts: string[] = [];
  for (const m of body.matchAll(/>([^<]+)</g)) texts.push(m[1]!);
  for (const m of body.matchAll(/\s(?:alt|aria-label|placeholder|title)="([^"]*)"/gi)) texts.push(m[1]!);
  const decode = (s: string) =>
    s
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&');
  return texts.map(decode).filter((t) => t.trim() !== '');
}

/** The texts (of `visibleTexts`, or plain lines) holding a Latin word that came neither from the catalogue nor from stored data. */
export function strayTexts(texts: string[], data: string[]): string[] {
  const stray: string[] = [];
  for (const text of texts) {
    let rest = text.replace(/⟦[^⟧]*⟧/g, ' ');
    // Data counts only as a whole (never "en" out of "Sent"): bounded by anything but a letter.
    for (const d of data) {
      if (!rest.includes(d)) continue;
      rest = rest.replace(new RegExp(`(?<!\\p{L})${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'gu'), ' ');
    }
    if (/[A-Za-z]{2,}/.test(rest)) stray.push(text.trim());
  }
  return stray;
}

/** The words on a page that came neither from the catalogue nor from stored data. */
export function strayWords(html: string, data: string[]): string[] {
  return strayTexts(visibleTexts(html), data);
}
