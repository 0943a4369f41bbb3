// A store's operating settings: its time zone and the rules the tracking pages apply.
import { z } from 'zod';
import { isTimeZone } from '../../lib/dates.ts';

export const SettingsSchema = z.object({
  /** Where the store works; shopper pages fall back to it when an order has no time zone. */
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London').default('UTC'),
  /** Business days between the order and its dispatch. */
  processingDays: z.number().int().min(0).max(30).default(2),
  /** Business days in transit, when neither the store nor the carrier gives a date. */
  transitDays: z.number().int().min(1).max(60).default(5),
  /** Days past the estimate before a parcel counts as late. */
  delayGraceDays: z.number().int().min(0).max(14).default(1),
  /** Business hours without a scan before a parcel counts as stalled (never under 24). */
  stalledScanHours: z
    .number()
    .int()
    .min(24)
    .max(24 * 30)
    .default(72),
  /** Business hours from label creation without a first carrier scan before the store is told. */
  notScannedHours: z
    .number()
    .int()
    .min(24)
    .max(24 * 30)
    .default(48),
});
export type StoreSettings = z.infer<typeof SettingsSchema>;

/** Settings with every default filled in, from what is stored. */
export function readSettings(stored: unknown): StoreSettings {
  const r = SettingsSchema.safeParse(stored ?? {});
  return r.success ? r.data : SettingsSchema.parse({});
}
