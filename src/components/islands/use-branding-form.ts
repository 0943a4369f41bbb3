// Follows the branding form as the merchant edits it, for the live islands. The form itself is a
// plain server-rendered form; without JavaScript nothing here runs and nothing is lost.
import { useEffect, useState } from 'preact/hooks';

export interface BrandingValues {
  primaryColor: string;
  accentColor: string;
  font: string;
  orderNote: string;
  /** The logo to show: the saved one's URL, a chosen file as a data: URL, or null (the name instead). */
  logo: string | null;
  /** Why a chosen file will be refused, seen before saving (the server checks it again, by content). */
  logoProblem: string | null;
}

const LOGO_TYPES = /^image\/(png|jpeg|webp)$/;
const MAX_LOGO_BYTES = 1024 * 1024;

/** The form's current values (`initial` until hydrated), and whether the island is live. */
export function useBrandingForm(formId: string, initial: BrandingValues, withLogo: boolean): [BrandingValues, boolean] {
  const [values, setValues] = useState(initial);
  const [live, setLive] = useState(false);
  useEffect(() => {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement)) return;
    let chosen: { logo: string | null; problem: string | null } | null = null;
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
    const read = () =>
      setValues({
        primaryColor: field('primaryColor')?.value ?? initial.primaryColor,
        accentColor: field('accentColor')?.value ?? initial.accentColor,
        font: field('font')?.value ?? initial.font,
        orderNote: (field('orderNote')?.value ?? '').trim(),
        logo: chosen ? chosen.logo : field('removeLogo')?.checked ? null : initial.logo,
        logoProblem: chosen?.problem ?? null,
      });
    /** Reads a chosen logo file; a file picked before the island woke up counts too. */
    const takeFile = (input: HTMLInputElement) => {
      const file = input.files?.[0];
      if (!file) chosen = null;
      else if (!LOGO_TYPES.test(file.type))
        chosen = { logo: null, problem: 'This file is not a PNG, JPEG or WebP image; it will be refused.' };
      else if (file.size > MAX_LOGO_BYTES) chosen = { logo: null, problem: 'This file is larger than 1 MB; it will be refused.' };
      else {
        const reader = new FileReader();
        reader.onload = () => {
          chosen = { logo: String(reader.result), problem: null };
          read();
        };
        reader.readAsDataURL(file);
        return;
      }
      read();
    };
    const onInput = (e: Event) => {
      const input = e.target as HTMLInputElement;
      if (input.name !== 'logo') return read();
      if (withLogo && e.type === 'change') takeFile(input);
    };
    form.addEventListener('input', onInput);
    form.addEventListener('change', onInput);
    const logoField = field('logo');
    if (withLogo && logoField?.files?.length) takeFile(logoField);
    else read();
    setLive(true);
    return () => {
      form.removeEventListener('input', onInput);
      form.removeEventListener('change', onInput);
    };
  }, [formId]);
  return [values, live];
}
