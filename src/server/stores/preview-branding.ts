// The branding a "Preview" shows: the saved branding with every valid unsaved field applied (and a
// chosen logo inlined as a data: URL), plus the problems a save would report. Nothing is stored.
import { isAppError, type FieldError } from '../errors.ts';
import { BrandingSchema, type Branding } from './branding.ts';
import type { BrandingForm } from './branding-form.ts';
import { applyStorePatch } from './merge-store-patch.ts';
import type { StoreDocument } from './store-document.ts';
import { checkLogo, logoDataUrl } from './upload-logo.ts';

/** The branding to preview and the fields that could not be applied. */
export function previewBranding(current: StoreDocument, form: BrandingForm): { branding: Branding; problems: FieldError[] } {
  let problems: FieldError[] = [];
  try {
    applyStorePatch(current, { branding: form.branding });
  } catch (err) {
    if (!isAppError(err, 'invalid')) throw err;
    problems = err.errors;
  }
  const bad = new Set(problems.map((p) => p.pointer.split('/')[2]));
  const next: Record<string, unknown> = { ...current.branding };
  for (const [key, value] of Object.entries(form.branding)) {
    if (bad.has(key)) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (form.removeLogo) delete next.logoUrl;
  const branding = BrandingSchema.parse(next);
  if (form.logo) {
    try {
      // A data: URL would fail the schema's https-or-path rule; it never leaves this request.
      branding.logoUrl = logoDataUrl(checkLogo(form.logo));
    } catch (err) {
      if (!isAppError(err, 'invalid')) throw err;
      problems.push(...err.errors);
    }
  }
  return { branding, problems };
}
