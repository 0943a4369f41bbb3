// A postal address as the merchant API and the store's settings give it: an order's shipping
// address, the store's return address.
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

export const AddressSchema = z.object({
  name: text(200),
  company: text(200).optional(),
  street1: text(200),
  street2: z.string().trim().max(200).optional(),
  city: text(100),
  state: z.string().trim().max(100).optional(),
  postalCode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as US'),
  phone: z.string().trim().max(30).optional(),
});
