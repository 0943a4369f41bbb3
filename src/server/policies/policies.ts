// The store's policies as the merchant API, the admin and policy versions see them: the delay
// rules, returns, reviews and what follows a delivery, grouped. (In the settings JSON the delay rules stay top-level keys.)
import type { z } from 'zod';
import type { AddressSchema } from '../address.ts';
import { DelaySettingsSchema, type DelaySettings, type StoreSettings } from '../stores/settings.ts';
import type { ReturnsPolicy } from './returns-policy.ts';
import type { AfterDeliveryPolicy } from './after-delivery-policy.ts';
import type { ReviewsPolicy } from './reviews-policy.ts';

export type Address = z.infer<typeof AddressSchema>;

export interface Policies {
  delays: DelaySettings;
  returns: ReturnsPolicy;
  reviews: ReviewsPolicy;
  afterDelivery: AfterDeliveryPolicy;
}

/** What one policy version records: everything a later decision may depend on. */
export interface PolicySnapshot extends Policies {
  returnAddress: Address | null;
}

const DELAY_KEYS = Object.keys(DelaySettingsSchema.shape) as (keyof DelaySettings)[];

/** The grouped policies from a store's settings. */
export function policiesFromSettings(s: StoreSettings): Policies {
  const delays = Object.fromEntries(DELAY_KEYS.map((k) => [k, s[k]])) as DelaySettings;
  return { delays, returns: s.returns, reviews: s.reviews, afterDelivery: s.afterDelivery };
}

/** The settings JSON for grouped policies and a return address (delay rules back at the top level). */
export function settingsFromPolicies(
  p: Policies,
  returnAddress: Address | null,
): Omit<StoreSettings, 'defaultLanguage' | 'copy' | 'notifications' | 'customers'> {
  return { ...p.delays, returns: p.returns, reviews: p.reviews, afterDelivery: p.afterDelivery, returnAddress };
}
