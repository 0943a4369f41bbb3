// How readable the store's colours are, with a warning below WCAG AA. Rendered on the server for
// the colours the form shows (works without JavaScript) and kept current as the merchant edits.
import { brandContrast, formatRatio } from './brand-contrast.ts';
import { useBrandingForm, type BrandingValues } from './use-branding-form.ts';

interface Props {
  formId: string;
  initial: BrandingValues;
}

export default function ContrastReport({ formId, initial }: Props) {
  const [v] = useBrandingForm(formId, initial, false);
  const report = brandContrast(v.primaryColor, v.accentColor);
  const failing = report?.checks.filter((c) => !c.passes) ?? [];
  return (
    <div class="contrast" id="contrast-report" aria-live="polite">
      {failing.length > 0 && (
        <div class="flash warn contrast-warning">
          <strong>Warning: low contrast.</strong> {failing.map((c) => `${c.what}: ${formatRatio(c.ratio)}`).join('; ')}, below the 4.5:1
          that WCAG AA asks for text, so some shoppers would struggle to read it. Shopper pages stay readable anyway: there, links and
          buttons use a darker shade of your accent colour that reaches 4.5:1 (shown below). Pick a darker accent colour to have it shown
          exactly as chosen.
        </div>
      )}
      {report && (
        <ul class="contrast-list">
          {report.checks.map((c) => (
            <li key={c.id} class={c.passes ? 'ok' : 'warn'}>
              {c.what}: <strong>{formatRatio(c.ratio)}</strong>{' '}
              {c.passes ? (
                <span>passes WCAG AA (4.5:1).</span>
              ) : (
                <span>
                  below WCAG AA (4.5:1). Shopper pages use <code>{c.corrected!.color}</code> instead ({formatRatio(c.corrected!.ratio)}).
                </span>
              )}
            </li>
          ))}
          <li class="info">
            In dark mode, links and buttons use <code>{report.darkMode.color}</code> ({formatRatio(report.darkMode.ratio)} on the dark
            page).
          </li>
        </ul>
      )}
    </div>
  );
}
