// The browser's PushSubscription JSON, checked at the edge: an https endpoint (http only on hosts
// listed in WAYPOST_PUSH_HOSTS) and the two keys the payload is encrypted to, of the right sizes.
import { z } from 'zod';

const base64url = (bytes: number, what: string) =>
  z
    .string()
    .trim()
    .transform((v) => v.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
    .refine((v) => /^[A-Za-z0-9_-]+$/.test(v) && Buffer.from(v, 'base64url').length === bytes, `${what}: ${bytes} bytes, base64url`);

export const PushSubscriptionSchema = z.object({
  endpoint: z
    .string()
    .trim()
    .max(1000, 'at most 1000 characters')
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'an https URL'),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: base64url(65, 'a P-256 public key').refine((v) => Buffer.from(v, 'base64url')[0] === 4, 'an uncompressed P-256 point'),
    auth: base64url(16, 'an auth secret'),
  }),
});

export const UnsubscribeSchema = z.object({ endpoint: z.string().trim().min(1).max(1000) });
