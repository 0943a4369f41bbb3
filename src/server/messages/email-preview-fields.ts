// The fields of the email preview (kind, order, language, and the wording editor's unsaved texts)
// read the same way from the page's form and from the HTML frame's query string. Unsaved texts
// travel as `patch`: the language and its changed keys as base64url JSON, checked again here, so a
// text that a save would refuse is never shown either. They belong to the language they were written
// in: the same preview in another language shows that language's saved wording.
import { copyProblem } from '../i18n/check-copy.ts';
import { applyCopyPatch, copyPatchFromForm, isCopyArea } from '../i18n/copy-editor.ts';
import { isLanguage, type Language } from '../i18n/languages.ts';
import { MESSAGE_KIND_NAMES, type MessageKind } from '../stores/notification-settings.ts';
import type { Store } from '../stores/store.ts';
import type { EmailPreviewInput } from './preview-email.ts';

interface Fields {
  get(name: string): FormDataEntryValue | null;
}

export interface PreviewFields {
  /** The preview to render, or null while no order is picked. */
  input: EmailPreviewInput | null;
  kind: MessageKind;
  orderNumber: string;
  language: Language | null;
  /** The unsaved texts (key → text, null: back to the standard one), and as they travel. */
  patch: Record<string, string | null>;
  patchParam: string;
  /** Unsaved texts left out because a save would refuse them. */
  problems: { key: string; problem: string }[];
}

const isKind = (k: unknown): k is MessageKind => typeof k === 'string' && (MESSAGE_KIND_NAMES as string[]).includes(k);

/** Reads the preview's fields: `copy.<key>` fields of an `area` (the editor's form) or a `patch`. */
export function readPreviewFields(fields: Fields, store: Store, fallbackOrder: string | null): PreviewFields {
  const kindField = fields.get('kind');
  const kind: MessageKind = isKind(kindField) ? kindField : 'shipped';
  const langField = fields.get('lang');
  const language = isLanguage(langField) ? langField : null;
  const orderField = fields.get('order');
  const orderNumber = (typeof orderField === 'string' && orderField.trim()) || fallbackOrder || '';
  const area = fields.get('area');
  let patch: Record<string, string | null> = {};
  if (language && isCopyArea(area)) patch = copyPatchFromForm(fields as FormData, language, area);
  else if (language) patch = decodePatch(fields.get('patch'), language);
  const problems: PreviewFields['problems'] = [];
  for (const [key, text] of Object.entries(patch)) {
    const problem = text === null ? null : copyProblem(key, text);
    if (problem) {
      problems.push({ key, problem });
      delete patch[key];
    }
  }
  const unsaved = language && Object.keys(patch).length > 0;
  const copy = unsaved ? { ...store.settings.copy, [language]: applyCopyPatch(store.settings.copy?.[language], patch) } : undefined;
  return {
    input: orderNumber ? { kind, orderNumber, language: language ?? undefined, copy } : null,
    kind,
    orderNumber,
    language,
    patch,
    patchParam: unsaved ? Buffer.from(JSON.stringify({ lang: language, texts: patch })).toString('base64url') : '',
    problems,
  };
}

/** The unsaved texts, when they are of this language (another language shows the saved wording). */
function decodePatch(value: FormDataEntryValue | null, language: Language): Record<string, string | null> {
  if (typeof value !== 'string' || value === '' || value.length > 20_000) return {};
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { lang?: unknown; texts?: unknown } | null;
    const texts = parsed?.lang === language ? parsed.texts : null;
    if (typeof texts !== 'object' || texts === null || Array.isArray(texts)) return {};
    return Object.fromEntries(
      Object.entries(texts).filter(
        (e): e is [string, string | null] => e[0].length <= 100 && (e[1] === null || (typeof e[1] === 'string' && e[1].length <= 2000)),
      ),
    );
  } catch {
    return {};
  }
}
