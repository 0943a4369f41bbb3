// The top of an order page in the store's unsaved colours, font, logo and note, redrawn as the
// merchant edits the form. An approximation for quick feedback; "Preview order page" renders the
// real page on the server. Hidden until hydrated: without JavaScript it could only show stale colours.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { previewTheme } from './brand-contrast.ts';
import { useBrandingForm, type BrandingValues } from './use-branding-form.ts';

interface Props {
  formId: string;
  storeName: string;
  initial: BrandingValues;
  /** Font name → CSS font stack (FONTS in src/server/stores/branding.ts). */
  fonts: Record<string, string>;
}

const STEPS = ['Ordered', 'Shipped', 'In transit', 'Out for delivery', 'Delivered'];

export default function LivePreview({ formId, storeName, initial, fonts }: Props) {
  const [v, live] = useBrandingForm(formId, initial, true);
  const frame = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = frame.current;
    if (!el || !/^#[0-9a-f]{6}$/i.test(v.primaryColor) || !/^#[0-9a-f]{6}$/i.test(v.accentColor)) return;
    // Set through the CSSOM, which the page's Content-Security-Policy allows (style attributes it does not).
    const t = previewTheme(v.primaryColor, v.accentColor);
    el.style.setProperty('--lp-brand', t.brand);
    el.style.setProperty('--lp-on-brand', t.onBrand);
    el.style.setProperty('--lp-accent', t.accentOnLight);
    el.style.setProperty('--lp-on-accent', t.onAccentLight);
    el.style.setProperty('--lp-font', fonts[v.font] ?? fonts.system ?? 'system-ui');
  }, [v.primaryColor, v.accentColor, v.font]);
  return (
    <section class="live-preview card" aria-labelledby="live-preview-title" hidden={!live}>
      <h2 id="live-preview-title">Live preview</h2>
      <p class="hint">The top of an order page with your changes, before saving. “Preview order page” shows the whole page.</p>
      <div class="lp-frame" ref={frame} data-testid="live-preview">
        <div class="lp-header">{v.logo ? <img src={v.logo} alt={storeName} /> : <span>{storeName}</span>}</div>
        <div class="lp-body">
          <p class="lp-lede">Order #1001</p>
          <p class="lp-title">In transit</p>
          {v.orderNote && <p class="lp-note">{v.orderNote}</p>}
          <ol class="lp-steps">
            {STEPS.map((s, i) => (
              <li key={s} class={i < 2 ? 'done' : i === 2 ? 'current' : ''}>
                {s}
              </li>
            ))}
          </ol>
          <p class="lp-row">
            <span class="lp-link">Track with the carrier</span>
            <span class="lp-button">Find my order</span>
          </p>
        </div>
      </div>
      {v.logoProblem && <p class="flash bad">{v.logoProblem}</p>}
    </section>
  );
}
