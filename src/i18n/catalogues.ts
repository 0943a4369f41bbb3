// Every shopper-facing word, one catalogue per language, each made of one file per area
// (`<lang>/<area>.json`: a flat map of key → ICU MessageFormat text). A key in code is
// `<area>.<key>`. English is the reference: every other language has exactly its keys, with the
// same placeholders (tests/unit/i18n/catalogues.test.ts).
import arCommon from './ar/common.json' with { type: 'json' };
import arEmail from './ar/email.json' with { type: 'json' };
import deCommon from './de/common.json' with { type: 'json' };
import deEmail from './de/email.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enEmail from './en/email.json' with { type: 'json' };
import esCommon from './es/common.json' with { type: 'json' };
import esEmail from './es/email.json' with { type: 'json' };
import frCommon from './fr/common.json' with { type: 'json' };
import frEmail from './fr/email.json' with { type: 'json' };
import itCommon from './it/common.json' with { type: 'json' };
import itEmail from './it/email.json' with { type: 'json' };
import nlCommon from './nl/common.json' with { type: 'json' };
import nlEmail from './nl/email.json' with { type: 'json' };

/** English, the reference catalogue: its shape types every key used in code. */
export const en = { common: enCommon, email: enEmail };

type Area = keyof typeof en;
/** Every message key: `<area>.<key>`. */
export type MessageKey = { [A in Area]: `${A}.${keyof (typeof en)[A] & string}` }[Area];
type Catalogue = { [A in Area]: Record<string, string> };

export const CATALOGUES: Record<'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'ar', Catalogue> = {
  en,
  de: { common: deCommon, email: deEmail },
  fr: { common: frCommon, email: frEmail },
  es: { common: esCommon, email: esEmail },
  it: { common: itCommon, email: itEmail },
  nl: { common: nlCommon, email: nlEmail },
  ar: { common: arCommon, email: arEmail },
};
