// A store's operating settings: its time zone, the rules the tracking pages apply (top level, read
// by tracking/deadlines.ts and the notices), and its returns and reviews policies and return address.
import { z } from 'zod';
import { isTimeZone } from '../../lib/dates.ts';
import { LANGUAGES } from '../i18n/languages.ts';
import { AddressSchema } from '../address.ts';
import { ReturnsPolicySchema } from '../policies/returns-policy.ts';
import { AfterDeliveryPolicySchema } from '../policies/after-delivery-policy.ts';
import { ReviewsPolicySchema } from '../policies/reviews-policy.ts';
import { wholeNumber } from '../policies/whole-number.ts';
import { NotificationSettingsSchema } from './notification-settings.ts';
import { CustomerSegmentsSchema } from './customer-segments.ts';

/** The delivery-estimate and delay rules: top-level keys of the settings JSON. */
export const DelaySettingsSchema = z.object({
  /** Where the store works; shopper pages fall back to it when an order has no time zone. */
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London').default('UTC'),
  /** Business days between the order and its dispatch. */
  processingDays: wholeNumber(0, 30).default(2),
  /** Business days in transit, when neither the store nor the carrier gives a date. */
  transitDays: wholeNumber(1, 60).default(5),
  /** Days past the estimate before a parcel counts as late. */
  delayGraceDays: wholeNumber(0, 14).default(1),
  /** Business hours without a scan before a parcel counts as stalled (never under 24). */
  stalledScanHours: wholeNumber(24, 24 * 30).default(72),
  /** Business hours from label creation without a first carrier scan before the store is told. */
  notScannedHours: wholeNumber(24, 24 * 30).default(48),
});
export type DelaySettings = z.infer<typeof DelaySettingsSchema>;

export const SettingsSchema = DelaySettingsSchema.extend({
  returns: ReturnsPolicySchema.prefault({}),
  reviews: ReviewsPolicySchema.prefault({}),
  /** Check-in, follow-up and replenishment timing (issue #15). */
  afterDelivery: AfterDeliveryPolicySchema.prefault({}),
  /** Where return parcels go. Nothing is returnable while it is null. */
  returnAddress: AddressSchema.nullable().default(null),
  /** Shopper languages (issue #13): the language of pages whose order's locale is in none we support. */
  defaultLanguage: z.enum(LANGUAGES).default('en'),
  /** The store's own wording: per language, catalogue key → ICU text (checked on save against the catalogue). */
  copy: z.partialRecord(z.enum(LANGUAGES), z.record(z.string(), z.string())).default({}),
  /** Email and push: sender, kinds per channel, quiet hours (stores/notification-settings.ts). */
  notifications: NotificationSettingsSchema.prefault({}),
  /** Who counts as VIP (customers/segments.ts). */
  customers: CustomerSegmentsSchema.prefault({}),
});
export type StoreSettings = z.infer<typeof SettingsSchema>;

/**
 * Settings with every default filled in, from what is stored; one broken part never resets the
 * others. Hot paths hand over the column's stored text, which is its own cache key, so each
 * distinct value is parsed once.
 */
export function readSettings(stored: unknown): StoreSettings {
  const key = typeof stored === 'string' ? stored : JSON.stringify(stored ?? {});
  let settings = parsedSettings.get(key);
  if (!settings) {
    settings = parseSettings(typeof stored === 'string' ? safeJson(stored) : stored);
    if (parsedSettings.size > 1000) parsedSettings.clear();
    parsedSettings.set(key, settings);
  }
  return settings;
}
const parsedSettings = new Map<string, StoreSettings>();

function parseSettings(stored: unknown): StoreSettings {
  const whole = SettingsSchema.safeParse(stored ?? {});
  if (whole.success) return whole.data;
  const raw = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const parts: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SettingsSchema.shape)) {
    const part = schema.safeParse(raw[key]);
    parts[key] = part.success ? part.data : schema.parse(undefined);
  }
  return parts as StoreSettings;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
