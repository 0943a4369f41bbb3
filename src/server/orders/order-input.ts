// The merchant API's order and shipment bodies. One schema validates and types each.
import { z } from 'zod';
import { isTimeZone } from '../../lib/dates.ts';
import { isCurrency } from '../../lib/money.ts';
import { AddressSchema } from '../address.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-25')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a real date');
const locale = z.string().refine((l) => {
  try {
    return Intl.getCanonicalLocales(l).length === 1;
  } catch {
    return false;
  }
}, 'a language tag such as en-US');

const ShipmentItemSchema = z.object({
  sku: text(100),
  quantity: z.number().int().min(1).max(100_000),
});

export const ShipmentInputSchema = z.object({
  carrier: text(50),
  trackingCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{4,64}$/, 'letters, digits and dashes, 4–64 characters'),
  service: text(100).optional(),
  items: z.array(ShipmentItemSchema).min(1).max(500),
  promisedDeliveryDate: isoDate.optional(),
});
export type ShipmentInput = z.infer<typeof ShipmentInputSchema>;

const OrderItemSchema = z.object({
  sku: text(100),
  productId: text(100).optional(),
  title: text(300),
  variant: text(200).optional(),
  quantity: z.number().int().min(1).max(100_000),
  unitAmount: z.number().int().min(0).max(1_000_000_000_00),
  imageUrl: z
    .url({ protocol: /^https$/ })
    .max(2000)
    .optional(),
  category: text(100).optional(),
  finalSale: z.boolean().default(false),
});

export const OrderInputSchema = z
  .object({
    number: z
      .string()
      .trim()
      .regex(/^#?[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dots, dashes, up to 64'),
    email: z.email().max(254),
    customerName: text(200),
    placedAt: z.iso.datetime({ offset: true }),
    currency: z.string().refine(isCurrency, 'an ISO 4217 code such as USD'),
    locale: locale.default('en-US'),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as America/New_York').optional(),
    /** The shopper agreed to marketing email (review invitations and the like). */
    marketingConsent: z.boolean().default(false),
    shippingAddress: AddressSchema,
    items: z.array(OrderItemSchema).min(1).max(500),
    shipments: z.array(ShipmentInputSchema).max(100).default([]),
  })
  .superRefine((o, ctx) => {
    const seen = new Set<string>();
    o.items.forEach((item, i) => {
      if (seen.has(item.sku)) ctx.addIssue({ code: 'custom', path: ['items', i, 'sku'], message: 'appears twice in this order' });
      seen.add(item.sku);
    });
    const codes = new Set<string>();
    o.shipments.forEach((s, i) => {
      if (codes.has(s.trackingCode))
        ctx.addIssue({ code: 'custom', path: ['shipments', i, 'trackingCode'], message: 'appears twice in this order' });
      codes.add(s.trackingCode);
    });
  });
