// The store's settings as one JSON document: what GET /api/v1/store answers, what a PATCH merges
// into, and what the admin's branding and policies forms change. One schema validates all three.
import { z } from 'zod';
import { AddressSchema } from '../address.ts';
import { policiesFromSettings, type Address, type Policies } from '../policies/policies.ts';
import { returnsPolicySchema } from '../policies/returns-policy.ts';
import { ReviewsPolicySchema } from '../policies/reviews-policy.ts';
import type { schema } from '../db.ts';
import { BrandingSchema, readBranding, type Branding } from './branding.ts';
import { NotificationSettingsSchema, type NotificationSettings } from './notification-settings.ts';
import { DelaySettingsSchema, readSettings } from './settings.ts';

export interface StoreDocument {
  branding: Branding;
  policies: Policies;
  returnAddress: Address | null;
  notifications: NotificationSettings;
}

/** The document as a change must leave it: every field known (unknown keys are refused) and valid. */
export const StoreDocumentSchema = z.strictObject({
  branding: BrandingSchema.strict(),
  policies: z.strictObject({
    delays: DelaySettingsSchema.strict(),
    returns: returnsPolicySchema(true),
    reviews: ReviewsPolicySchema.strict(),
  }),
  returnAddress: AddressSchema.strict().nullable(),
  notifications: NotificationSettingsSchema.strict(),
});

/** The document of a stores row, every default filled in. */
export function readStoreDocument(row: Pick<typeof schema.stores.$inferSelect, 'branding' | 'settings'>): StoreDocument {
  const settings = readSettings(row.settings);
  return {
    branding: readBranding(row.branding),
    policies: policiesFromSettings(settings),
    returnAddress: settings.returnAddress,
    notifications: settings.notifications,
  };
}
