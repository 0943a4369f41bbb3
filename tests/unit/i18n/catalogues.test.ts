// Every language has every key of the English catalogue, with the same placeholders, in valid ICU
// MessageFormat; keys are sorted, so two changes to a catalogue rarely touch the same lines.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, en } from '../../../src/i18n/catalogues.ts';
import { LANGUAGES } from '../../../src/server/i18n/languages.ts';

/** The placeholders a message uses (arguments, plurals, selects, at any depth), with their kind. */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) out.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.add(`${e.value}:${e.type === TYPE.plural ? 'plural' : 'select'}`);
      for (const option of Object.values(e.options)) placeholders(option.value, out);
    }
    if (e.type === TYPE.tag) placeholders(e.children, out);
  }
  return out;
}

describe('the catalogues', () => {
  for (const lang of LANGUAGES) {
    describe(lang, () => {
      const catalogue = CATALOGUES[lang];
      it('has exactly the areas and keys of English', () => {
        expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
        for (const [area, messages] of Object.entries(en)) {
          expect(Object.keys(catalogue[area as keyof typeof en]).sort(), area).toEqual(Object.keys(messages).sort());
        }
      });

      it('is valid ICU MessageFormat with the same placeholders as English', () => {
        for (const [area, messages] of Object.entries(catalogue)) {
          for (const [key, text] of Object.entries(messages)) {
            const reference = (en as Record<string, Record<string, string>>)[area]![key]!;
            const mine = placeholders(parse(text, { ignoreTag: true }));
            expect([...mine].sort(), `${lang} ${area}.${key}`).toEqual([...placeholders(parse(reference, { ignoreTag: true }))].sort());
            expect(text.trim(), `${lang} ${area}.${key} is empty`).not.toBe('');
          }
        }
      });

      it('uses only the plural categories its language has, always with "other"', () => {
        const categories = new Set<string>(new Intl.PluralRules(lang).resolvedOptions().pluralCategories);
        const check = (elements: MessageFormatElement[], where: string) => {
          for (const e of elements) {
            if (e.type === TYPE.plural) {
              expect(Object.keys(e.options), where).toContain('other');
              for (const option of Object.keys(e.options))
                if (!option.startsWith('=')) expect(categories, `${where}: ${option}`).toContain(option);
            }
            if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) check(o.value, where);
            if (e.type === TYPE.select) expect(Object.keys(e.options), where).toContain('other');
          }
        };
        for (const [area, messages] of Object.entries(catalogue))
          for (const [key, text] of Object.entries(messages)) check(parse(text, { ignoreTag: true }), `${lang} ${area}.${key}`);
      });

      if (lang !== 'en') {
        it('is written in its own language, not copied from English', () => {
          const all = Object.entries(en).flatMap(([area, messages]) => Object.keys(messages).map((key) => [area, key] as const));
          const mine = catalogue as Record<string, Record<string, string>>;
          const english = en as Record<string, Record<string, string>>;
          const same = all.filter(([area, key]) => mine[area]![key] === english[area]![key] && /[a-z]{4}/i.test(mine[area]![key]!));
          // A few words are the same in both (a "Label", an "E-mail"); a copied area is not.
          expect(same.length / all.length, same.map(([a, k]) => `${a}.${k}`).join(', ')).toBeLessThan(0.03);
        });
      }

      it('keeps its keys sorted', () => {
        for (const [area, messages] of Object.entries(catalogue)) expect(Object.keys(messages), area).toEqual(Object.keys(messages).sort());
      });
    });
  }
});
