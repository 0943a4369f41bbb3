// WCAG 2 contrast arithmetic, safe in the browser (the admin's live preview uses it too).

/** Parses "#rgb" or "#rrggbb" into [r, g, b] 0–255, or null. */
export function parseHex(hex: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  let h = m[1] as string;
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}

function toHex(rgb: [number, number, number]): string {
  return (
    '#' +
    rgb
      .map((v) =>
        Math.round(Math.max(0, Math.min(255, v)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

/** Relative luminance per WCAG 2.x. */
export function luminance(hex: string): number {
  const rgb = parseHex(hex);
  if (!rgb) throw new Error(`Not a colour: ${hex}`);
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio between two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

/** Black or white, whichever reads better on the background. */
export function readableTextOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

/**
 * The colour moved towards black (or white) just enough to reach `ratio` against `against`,
 * so a store's pale brand colour still gives readable links and buttons.
 */
export function ensureContrast(color: string, against: string, ratio = 4.5): string {
  const rgb = parseHex(color);
  if (!rgb) return color;
  if (contrastRatio(color, against) >= ratio) return toHex(rgb);
  const target: [number, number, number] = luminance(against) > 0.5 ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0.05; t <= 1.0001; t += 0.05) {
    const mixed = rgb.map((v, i) => v + (target[i]! - v) * t) as [number, number, number];
    if (contrastRatio(toHex(mixed), against) >= ratio) return toHex(mixed);
  }
  return toHex(target);
}
