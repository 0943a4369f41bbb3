// The back office's product form → the body PUT /api/v1/products/{productId} takes, so both doors
// share one validation. Variants keep their SKUs and titles (the shop platform owns them); the form
// changes their availability and what follows the sale.
import type { ProductView } from './list-products.ts';

/** An empty box is "none"; anything else goes to the schema as typed, so its message names the field. */
function numberOrNull(text: string | undefined): number | string | null {
  const t = (text ?? '').trim();
  if (t === '') return null;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

const textOrNull = (text: string | undefined) => ((text ?? '').trim() === '' ? null : (text ?? '').trim());

export function productBodyFromForm(form: FormData, existing: ProductView): Record<string, unknown> {
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const guideTitle = textOrNull(field('careGuide.title'));
  const guideBody = textOrNull(field('careGuide.body'));
  const guideUrl = textOrNull(field('careGuide.url'));
  return {
    title: field('title') ?? existing.title,
    url: textOrNull(field('url')),
    imageUrl: textOrNull(field('imageUrl')),
    variants: existing.variants.map((v, i) => ({ ...v, available: form.has(`variants.${i}.available`) })),
    careGuide: guideTitle || guideBody || guideUrl ? { title: guideTitle ?? '', body: guideBody ?? '', url: guideUrl } : null,
    warrantyMonths: numberOrNull(field('warrantyMonths')),
    replenishAfterDays: numberOrNull(field('replenishAfterDays')),
    related: (field('related') ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  };
}
