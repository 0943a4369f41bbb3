// A store's messaging settings (issue #19): who its emails come from, which kinds go on which
// channel, what its shop platform already sends, and the quiet hours. Part of the store document
// (`notifications` in GET/PATCH /api/v1/store).
import { z } from 'zod';

/** Every kind of message Waypost can send, with its class: service news goes to every order, marketing only with consent. */
export const MESSAGE_KINDS = {
  order_confirmed: 'service',
  shipped: 'service',
  out_for_delivery: 'service',
  delivered: 'service',
  delayed: 'service',
  exception: 'service',
  return_label_ready: 'service',
  return_received: 'service',
  refund_released: 'service',
  review_invitation: 'marketing',
  checkin: 'service',
  warranty_reminder: 'service',
  follow_up: 'marketing',
  replenishment: 'marketing',
} as const;
export type MessageKind = keyof typeof MESSAGE_KINDS;
export const MESSAGE_KIND_NAMES = Object.keys(MESSAGE_KINDS) as [MessageKind, ...MessageKind[]];

/** Kinds off by default: most shop platforms send their own order confirmation. */
const OFF_BY_DEFAULT: ReadonlySet<MessageKind> = new Set(['order_confirmed']);

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 21:00');

const channels = (kind: MessageKind) =>
  z
    .strictObject({ email: z.boolean().default(!OFF_BY_DEFAULT.has(kind)), push: z.boolean().default(kind !== 'order_confirmed') })
    .prefault({});

export const NotificationSettingsSchema = z.object({
  /** The name shoppers see as the sender (default: the store's name). */
  senderName: z.string().trim().min(1).max(100).nullable().default(null),
  /** The address emails come from (default: WAYPOST_MAIL_FROM); its domain needs SPF, DKIM and DMARC for this server. */
  senderAddress: z.email().max(254).nullable().default(null),
  /** Where replies go (default: the store's support email). */
  replyTo: z.email().max(254).nullable().default(null),
  /** Each kind on or off per channel. */
  kinds: z
    .strictObject(Object.fromEntries(MESSAGE_KIND_NAMES.map((k) => [k, channels(k)])) as Record<MessageKind, ReturnType<typeof channels>>)
    .prefault({}),
  /** Kinds the store's shop platform already emails: Waypost does not repeat them. */
  platformSends: z.array(z.enum(MESSAGE_KIND_NAMES)).max(MESSAGE_KIND_NAMES.length).default([]),
  /** News that can wait is held between these local times in the shopper's time zone (held, never dropped). */
  quietHours: z.strictObject({ enabled: z.boolean().default(true), start: hhmm.default('21:00'), end: hhmm.default('08:00') }).prefault({}),
  /** The store's postal address, shown in the footer of marketing emails (required by anti-spam laws). */
  postalAddress: z.string().trim().max(300).nullable().default(null),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

/** True when the store sends this kind on this channel. */
export function kindEnabled(s: NotificationSettings, kind: MessageKind, channel: 'email' | 'push'): boolean {
  if (channel === 'email' && s.platformSends.includes(kind)) return false;
  return s.kinds[kind][channel];
}
