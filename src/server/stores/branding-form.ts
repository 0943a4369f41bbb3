// The branding page's form fields as the branding patch the API would send (an empty field clears it).
export const BRANDING_FIELDS = ['primaryColor', 'accentColor', 'font', 'supportEmail', 'supportPhone', 'supportUrl', 'orderNote'] as const;

export interface BrandingForm {
  branding: Record<string, string | null>;
  /** The chosen logo file's bytes; null when no file was chosen. */
  logo: Uint8Array | null;
  removeLogo: boolean;
}

/** Reads the posted form (multipart, so the logo comes along). */
export async function readBrandingForm(form: FormData): Promise<BrandingForm> {
  const branding: Record<string, string | null> = {};
  for (const name of BRANDING_FIELDS) {
    const v = form.get(name);
    if (typeof v !== 'string') continue;
    const trimmed = name === 'orderNote' ? v.trim().replace(/\r\n/g, '\n') : v.trim();
    branding[name] = trimmed === '' ? null : trimmed;
  }
  const file = form.get('logo');
  // A browser sends an unnamed empty part when no file was chosen; a chosen empty file has a name.
  const chosen = typeof file === 'object' && file !== null && (file.size > 0 || file.name !== '');
  return { branding, logo: chosen ? new Uint8Array(await file.arrayBuffer()) : null, removeLogo: form.get('removeLogo') === '1' };
}
