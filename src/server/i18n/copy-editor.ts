// The back office's wording editor: a language's standard messages of one area beside the store's
// own, and the form's fields turned into a JSON Merge Patch of `copy` (a text equal to the standard
// one, or emptied, removes the override), so saving goes through the store document's own checks.
import { CATALOGUES } from '../../i18n/catalogues.ts';
import type { Language } from './languages.ts';

export const COPY_AREAS = Object.keys(CATALOGUES.en) as (keyof (typeof CATALOGUES)['en'])[];
export type CopyArea = (typeof COPY_AREAS)[number];

export function isCopyArea(a: unknown): a is CopyArea {
  return typeof a === 'string' && (COPY_AREAS as string[]).includes(a);
}

export interface CopyRow {
  key: string;
  /** The catalogue's message in this language. */
  standard: string;
  /** The store's own text, or null. */
  own: string | null;
}

/** Every message of the area in this language, with the store's override of each. */
export function copyRows(lang: Language, area: CopyArea, overrides: Readonly<Record<string, string>> | undefined): CopyRow[] {
  const standard = CATALOGUES[lang][area] as Record<string, string>;
  return Object.keys(CATALOGUES.en[area]).map((name) => {
    const key = `${area}.${name}`;
    return { key, standard: standard[name] ?? (CATALOGUES.en[area] as Record<string, string>)[name]!, own: overrides?.[key] ?? null };
  });
}

/** The form's `copy.<key>` fields of one area → the patch of that language's overrides. */
export function copyPatchFromForm(form: FormData, lang: Language, area: CopyArea): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const row of copyRows(lang, area, undefined)) {
    const value = form.get(`copy.${row.key}`);
    if (typeof value !== 'string') continue;
    const text = value.replace(/\r\n/g, '\n').trim();
    patch[row.key] = text === '' || text === row.standard ? null : text;
  }
  return patch;
}

/** The overrides in force once the patch is applied (for a preview of unsaved wording). */
export function applyCopyPatch(
  current: Readonly<Record<string, string>> | undefined,
  patch: Record<string, string | null>,
): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const [key, text] of Object.entries(patch)) {
    if (text === null) delete next[key];
    else next[key] = text;
  }
  return next;
}
