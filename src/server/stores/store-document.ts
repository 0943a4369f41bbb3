// The store's settings as one JSON document: what GET /api/v1/store answers, what a PATCH merges
// into, and what the admin's branding and policies forms change. One schema validates all three.
import { z } from 'zod';
import { copyProblem } from '../i18n/check-copy.ts';
import { LANGUAGES, type Language } from '../i18n/languages.ts';
import { AddressSchema } from '../address.ts';
import { policiesFromSettings, type Address, type Policies } from '../policies/policies.ts';
import { returnsPolicySchema } from '../policies/returns-policy.ts';
import { AfterDeliveryPolicySchema } from '../policies/after-delivery-policy.ts';
import { ReviewsPolicySchema } from '../policies/reviews-policy.ts';
import type { schema } from '../db.ts';
import { BrandingSchema, readBranding, type Branding } from './branding.ts';
import { NotificationSettingsSchema, type NotificationSettings } from './notification-settings.ts';
import { DelaySettingsSchema, readSettings } from './settings.ts';
import { CustomerSegmentsSchema, type CustomerSegments } from './customer-segments.ts';

export interface StoreDocument {
  branding: Branding;
  policies: Policies;
  returnAddress: Address | null;
  /** The language shopper pages fall back to when an order's locale is in none we support. */
  defaultLanguage: Language;
  /** The store's own wording: per language, message key → ICU text (checked against the catalogue). */
  copy: Partial<Record<Language, Record<string, string>>>;
  notifications: NotificationSettings;
  /** Customer segments: who counts as VIP. */
  customers: CustomerSegments;
}

/** Per language, key → text; each checked against the catalogue's message of that key. */
const CopySchema = z.partialRecord(z.enum(LANGUAGES), z.record(z.string().max(100), z.string().max(2000))).superRefine((copy, ctx) => {
  for (const [lang, messages] of Object.entries(copy)) {
    for (const [key, text] of Object.entries(messages ?? {})) {
      const problem = copyProblem(key, text);
      if (problem) ctx.addIssue({ code: 'custom', path: [lang, key], message: problem });
    }
  }
});

/** The document as a change must leave it: every field known (unknown keys are refused) and valid. */
export const StoreDocumentSchema = z.strictObject({
  branding: BrandingSchema.strict(),
  policies: z.strictObject({
    delays: DelaySettingsSchema.strict(),
    returns: returnsPolicySchema(true),
    reviews: ReviewsPolicySchema.strict(),
    afterDelivery: AfterDeliveryPolicySchema.strict(),
  }),
  returnAddress: AddressSchema.strict().nullable(),
  defaultLanguage: z.enum(LANGUAGES, { error: `one of ${LANGUAGES.join(', ')}` }),
  copy: CopySchema,
  notifications: NotificationSettingsSchema.strict(),
  customers: CustomerSegmentsSchema.strict(),
});

/** The document of a stores row, every default filled in. */
export function readStoreDocument(row: Pick<typeof schema.stores.$inferSelect, 'branding' | 'settings'>): StoreDocument {
  const settings = readSettings(row.settings);
  return {
    branding: readBranding(row.branding),
    policies: policiesFromSettings(settings),
    returnAddress: settings.returnAddress,
    defaultLanguage: settings.defaultLanguage,
    copy: settings.copy,
    notifications: settings.notifications,
    customers: settings.customers,
  };
}
