// The store's own wording, checked before it is saved: each key must be a shopper-facing message
// of the catalogue, each text valid ICU MessageFormat with exactly the placeholders of the
// catalogue's message (a missing {date} would leave the shopper without the date; an unknown one
// would never be filled in).
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGUES } from '../../i18n/catalogues.ts';

/** The placeholders a message uses (arguments, plurals, selects, at any depth). */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(e.value);
      for (const option of Object.values(e.options)) placeholders(option.value, out);
    }
    if (e.type === TYPE.tag) placeholders(e.children, out);
  }
  return out;
}

/** What is wrong with one override (key → text), or null. */
export function copyProblem(key: string, text: string): string | null {
  const dot = key.indexOf('.');
  const area = CATALOGUES.en[key.slice(0, dot) as keyof (typeof CATALOGUES)['en']] as Record<string, string> | undefined;
  const reference = dot > 0 && area && Object.hasOwn(area, key.slice(dot + 1)) ? area[key.slice(dot + 1)]! : null;
  if (reference === null) return 'not a message shoppers see (keys look like "order.estimate.arriving")';
  if (text.trim() === '') return 'empty: remove the key to use the standard wording';
  let mine: Set<string>;
  try {
    mine = placeholders(parse(text, { ignoreTag: true }));
  } catch (err) {
    return `not valid ICU MessageFormat (${(err as Error).message})`;
  }
  const theirs = placeholders(parse(reference, { ignoreTag: true }));
  const unknown = [...mine].filter((p) => !theirs.has(p));
  const missing = [...theirs].filter((p) => !mine.has(p));
  if (unknown.length) return `uses ${unknown.map((p) => `{${p}}`).join(', ')}, which this message does not have`;
  if (missing.length) return `leaves out ${missing.map((p) => `{${p}}`).join(', ')}`;
  return null;
}
