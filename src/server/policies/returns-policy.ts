// The store's returns policy: how long, what for, what the shopper gets back and what it costs.
// Read by the returns feature; every saved change is a new policy version (see README).
import { z } from 'zod';
import { wholeNumber } from './whole-number.ts';

const REASON_CODE = /^[a-z][a-z0-9_]{0,39}$/;

/** The reasons a new store offers (DESIGN.md); the ones that need proof ask for a note or a photo. */
export const DEFAULT_RETURN_REASONS = [
  { code: 'too_small', label: 'Too small', requiresNote: false, requiresPhoto: false },
  { code: 'too_large', label: 'Too large', requiresNote: false, requiresPhoto: false },
  { code: 'not_as_described', label: 'Not as described', requiresNote: true, requiresPhoto: false },
  { code: 'damaged', label: 'Arrived damaged', requiresNote: false, requiresPhoto: true },
  { code: 'wrong_item', label: 'Wrong item sent', requiresNote: false, requiresPhoto: true },
  { code: 'arrived_late', label: 'Arrived too late', requiresNote: false, requiresPhoto: false },
  { code: 'changed_mind', label: 'Changed my mind', requiresNote: false, requiresPhoto: false },
  { code: 'other', label: 'Something else', requiresNote: true, requiresPhoto: false },
];

/** Reasons whose return is the store's fault: no shipping or restocking fee by default. */
const DEFAULT_FEE_WAIVED_REASONS = ['not_as_described', 'damaged', 'wrong_item'];

const label = z.string().trim().min(1, 'a short label').max(80, 'at most 80 characters');
const tags = (what: string) =>
  z
    .array(z.string().trim().min(1, `an empty ${what}`).max(100, 'at most 100 characters'))
    .max(200, 'at most 200 entries')
    .default([]);

/**
 * The schema; `strict` refuses keys it does not know (what a merchant sends), the lenient one
 * drops them (what is read back from the database, so a newer field never resets a policy).
 */
export function returnsPolicySchema(strict: boolean) {
  const object = strict ? z.strictObject : z.object;
  return (
    object({
      /** Days a shopper has to start a return, counted from `windowStartsFrom`. */
      windowDays: wholeNumber(1, 365).default(30),
      windowStartsFrom: z.enum(['delivery', 'fulfillment', 'order']).default('delivery'),
      /** Items in these categories, or with these SKUs, cannot be returned (as can items sent with finalSale). */
      finalSaleCategories: tags('category'),
      finalSaleSkus: tags('SKU'),
      reasons: z
        .array(
          object({
            code: z.string().trim().regex(REASON_CODE, 'lower-case letters, digits and _, starting with a letter'),
            label,
            requiresNote: z.boolean().default(false),
            requiresPhoto: z.boolean().default(false),
          }),
        )
        .min(1, 'at least one reason')
        .max(30, 'at most 30 reasons')
        // Checked on the list itself, so a duplicate is reported even while another field is wrong.
        .superRefine((reasons, ctx) => {
          const seen = new Set<string>();
          reasons.forEach((r, i) => {
            if (seen.has(r.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: 'this code is used twice' });
            seen.add(r.code);
          });
        })
        .default(() => DEFAULT_RETURN_REASONS.map((r) => ({ ...r }))),
      resolutions: object({
        refund: z.boolean().default(true),
        storeCredit: z.boolean().default(true),
        /** Extra store credit, in percent of the refund, to make credit the better choice. */
        storeCreditBonusPercent: wholeNumber(0, 100).default(0),
        exchange: z.boolean().default(false),
      })
        .refine((r) => r.refund || r.storeCredit || r.exchange, 'offer at least one of refund, store credit or exchange')
        .prefault({}),
      /** Taken from the refund for the prepaid label, in the currency's minor unit; 0 is a free label. */
      shippingFee: wholeNumber(0, 1_000_000).default(0),
      restockingFeePercent: wholeNumber(0, 100).default(0),
      /** Reason codes for which neither fee is charged. */
      feeWaivedReasons: z
        .array(z.string())
        .max(30)
        .default(() => [...DEFAULT_FEE_WAIVED_REASONS]),
      /** auto: a request within policy is approved at once; review: a person approves each one. */
      approval: z.enum(['auto', 'review']).default('auto'),
      /** When the money goes back: the return parcel's first carrier scan, its delivery, or the store's inspection. */
      refundReleasedOn: z.enum(['first_scan', 'delivered', 'inspected']).default('delivered'),
      /** At most this many returns per customer in 90 days; null for no cap. */
      maxReturnsPer90Days: wholeNumber(1, 100).nullable().default(null),
    })
      .superRefine((p, ctx) => {
        const codes = new Set(p.reasons.map((r) => r.code));
        p.feeWaivedReasons.forEach((code, i) => {
          if (!codes.has(code))
            ctx.addIssue({ code: 'custom', path: ['feeWaivedReasons', i], message: `"${code}" is not one of the return reasons` });
        });
      })
      // A set, kept in the reasons' order, so the same choice never reads as a change.
      .transform((p) => ({ ...p, feeWaivedReasons: p.reasons.map((r) => r.code).filter((c) => p.feeWaivedReasons.includes(c)) }))
  );
}

export const ReturnsPolicySchema = returnsPolicySchema(false);
export type ReturnsPolicy = z.infer<typeof ReturnsPolicySchema>;
export type ReturnReason = ReturnsPolicy['reasons'][number];
