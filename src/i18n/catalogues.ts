// Every shopper-facing word, one catalogue per language, each made of one file per area
// (`<lang>/<area>.json`: a flat map of key → ICU MessageFormat text). A key in code is
// `<area>.<key>`. English is the reference: every other language has exactly its keys, with the
// same placeholders (tests/unit/i18n/catalogues.test.ts). Imported once: each message is compiled
// on first use and kept (src/server/i18n/translator.ts).
import arCheckin from './ar/checkin.json' with { type: 'json' };
import arCommon from './ar/common.json' with { type: 'json' };
import arEmail from './ar/email.json' with { type: 'json' };
import arErrors from './ar/errors.json' with { type: 'json' };
import arLabel from './ar/label.json' with { type: 'json' };
import arLookup from './ar/lookup.json' with { type: 'json' };
import arNotices from './ar/notices.json' with { type: 'json' };
import arOrder from './ar/order.json' with { type: 'json' };
import arPolicy from './ar/policy.json' with { type: 'json' };
import arPreferences from './ar/preferences.json' with { type: 'json' };
import arPush from './ar/push.json' with { type: 'json' };
import arReturns from './ar/returns.json' with { type: 'json' };
import arReviews from './ar/reviews.json' with { type: 'json' };
import deCheckin from './de/checkin.json' with { type: 'json' };
import deCommon from './de/common.json' with { type: 'json' };
import deEmail from './de/email.json' with { type: 'json' };
import deErrors from './de/errors.json' with { type: 'json' };
import deLabel from './de/label.json' with { type: 'json' };
import deLookup from './de/lookup.json' with { type: 'json' };
import deNotices from './de/notices.json' with { type: 'json' };
import deOrder from './de/order.json' with { type: 'json' };
import dePolicy from './de/policy.json' with { type: 'json' };
import dePreferences from './de/preferences.json' with { type: 'json' };
import dePush from './de/push.json' with { type: 'json' };
import deReturns from './de/returns.json' with { type: 'json' };
import deReviews from './de/reviews.json' with { type: 'json' };
import enCheckin from './en/checkin.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enEmail from './en/email.json' with { type: 'json' };
import enErrors from './en/errors.json' with { type: 'json' };
import enLabel from './en/label.json' with { type: 'json' };
import enLookup from './en/lookup.json' with { type: 'json' };
import enNotices from './en/notices.json' with { type: 'json' };
import enOrder from './en/order.json' with { type: 'json' };
import enPolicy from './en/policy.json' with { type: 'json' };
import enPreferences from './en/preferences.json' with { type: 'json' };
import enPush from './en/push.json' with { type: 'json' };
import enReturns from './en/returns.json' with { type: 'json' };
import enReviews from './en/reviews.json' with { type: 'json' };
import esCheckin from './es/checkin.json' with { type: 'json' };
import esCommon from './es/common.json' with { type: 'json' };
import esEmail from './es/email.json' with { type: 'json' };
import esErrors from './es/errors.json' with { type: 'json' };
import esLabel from './es/label.json' with { type: 'json' };
import esLookup from './es/lookup.json' with { type: 'json' };
import esNotices from './es/notices.json' with { type: 'json' };
import esOrder from './es/order.json' with { type: 'json' };
import esPolicy from './es/policy.json' with { type: 'json' };
import esPreferences from './es/preferences.json' with { type: 'json' };
import esPush from './es/push.json' with { type: 'json' };
import esReturns from './es/returns.json' with { type: 'json' };
import esReviews from './es/reviews.json' with { type: 'json' };
import frCheckin from './fr/checkin.json' with { type: 'json' };
import frCommon from './fr/common.json' with { type: 'json' };
import frEmail from './fr/email.json' with { type: 'json' };
import frErrors from './fr/errors.json' with { type: 'json' };
import frLabel from './fr/label.json' with { type: 'json' };
import frLookup from './fr/lookup.json' with { type: 'json' };
import frNotices from './fr/notices.json' with { type: 'json' };
import frOrder from './fr/order.json' with { type: 'json' };
import frPolicy from './fr/policy.json' with { type: 'json' };
import frPreferences from './fr/preferences.json' with { type: 'json' };
import frPush from './fr/push.json' with { type: 'json' };
import frReturns from './fr/returns.json' with { type: 'json' };
import frReviews from './fr/reviews.json' with { type: 'json' };
import itCheckin from './it/checkin.json' with { type: 'json' };
import itCommon from './it/common.json' with { type: 'json' };
import itEmail from './it/email.json' with { type: 'json' };
import itErrors from './it/errors.json' with { type: 'json' };
import itLabel from './it/label.json' with { type: 'json' };
import itLookup from './it/lookup.json' with { type: 'json' };
import itNotices from './it/notices.json' with { type: 'json' };
import itOrder from './it/order.json' with { type: 'json' };
import itPolicy from './it/policy.json' with { type: 'json' };
import itPreferences from './it/preferences.json' with { type: 'json' };
import itPush from './it/push.json' with { type: 'json' };
import itReturns from './it/returns.json' with { type: 'json' };
import itReviews from './it/reviews.json' with { type: 'json' };
import nlCheckin from './nl/checkin.json' with { type: 'json' };
import nlCommon from './nl/common.json' with { type: 'json' };
import nlEmail from './nl/email.json' with { type: 'json' };
import nlErrors from './nl/errors.json' with { type: 'json' };
import nlLabel from './nl/label.json' with { type: 'json' };
import nlLookup from './nl/lookup.json' with { type: 'json' };
import nlNotices from './nl/notices.json' with { type: 'json' };
import nlOrder from './nl/order.json' with { type: 'json' };
import nlPolicy from './nl/policy.json' with { type: 'json' };
import nlPreferences from './nl/preferences.json' with { type: 'json' };
import nlPush from './nl/push.json' with { type: 'json' };
import nlReturns from './nl/returns.json' with { type: 'json' };
import nlReviews from './nl/reviews.json' with { type: 'json' };

/** English, the reference catalogue: its shape types every key used in code. */
export const en = {
  checkin: enCheckin,
  common: enCommon,
  email: enEmail,
  errors: enErrors,
  label: enLabel,
  lookup: enLookup,
  notices: enNotices,
  order: enOrder,
  policy: enPolicy,
  preferences: enPreferences,
  push: enPush,
  returns: enReturns,
  reviews: enReviews,
};

type Area = keyof typeof en;
/** Every message key: `<area>.<key>`. */
export type MessageKey = { [A in Area]: `${A}.${keyof (typeof en)[A] & string}` }[Area];
type Catalogue = { [A in Area]: Record<string, string> };

export const CATALOGUES: Record<'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'ar', Catalogue> = {
  en,
  de: {
    checkin: deCheckin,
    common: deCommon,
    email: deEmail,
    errors: deErrors,
    label: deLabel,
    lookup: deLookup,
    notices: deNotices,
    order: deOrder,
    policy: dePolicy,
    preferences: dePreferences,
    push: dePush,
    returns: deReturns,
    reviews: deReviews,
  },
  fr: {
    checkin: frCheckin,
    common: frCommon,
    email: frEmail,
    errors: frErrors,
    label: frLabel,
    lookup: frLookup,
    notices: frNotices,
    order: frOrder,
    policy: frPolicy,
    preferences: frPreferences,
    push: frPush,
    returns: frReturns,
    reviews: frReviews,
  },
  es: {
    checkin: esCheckin,
    common: esCommon,
    email: esEmail,
    errors: esErrors,
    label: esLabel,
    lookup: esLookup,
    notices: esNotices,
    order: esOrder,
    policy: esPolicy,
    preferences: esPreferences,
    push: esPush,
    returns: esReturns,
    reviews: esReviews,
  },
  it: {
    checkin: itCheckin,
    common: itCommon,
    email: itEmail,
    errors: itErrors,
    label: itLabel,
    lookup: itLookup,
    notices: itNotices,
    order: itOrder,
    policy: itPolicy,
    preferences: itPreferences,
    push: itPush,
    returns: itReturns,
    reviews: itReviews,
  },
  nl: {
    checkin: nlCheckin,
    common: nlCommon,
    email: nlEmail,
    errors: nlErrors,
    label: nlLabel,
    lookup: nlLookup,
    notices: nlNotices,
    order: nlOrder,
    policy: nlPolicy,
    preferences: nlPreferences,
    push: nlPush,
    returns: nlReturns,
    reviews: nlReviews,
  },
  ar: {
    checkin: arCheckin,
    common: arCommon,
    email: arEmail,
    errors: arErrors,
    label: arLabel,
    lookup: arLookup,
    notices: arNotices,
    order: arOrder,
    policy: arPolicy,
    preferences: arPreferences,
    push: arPush,
    returns: arReturns,
    reviews: arReviews,
  },
};
