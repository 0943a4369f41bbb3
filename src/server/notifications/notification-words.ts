// Every word a push notification says, in the order's language, from the catalogue's `push` area.
// Short: a phone shows about two lines. The title is the store's name (set by the caller); these
// are the bodies.
import { languageOf, type Language } from '../i18n/languages.ts';
import { translator } from '../i18n/translator.ts';
import type { NotificationKind } from './queue-notification.ts';

/** Finer shades of a kind, chosen from the parcel's state when the message is built. */
export type Shade = 'late' | 'quiet' | 'dispatch' | 'pickup' | 'returning' | 'failed' | 'lost' | 'damaged' | null;

export interface WordsInput {
  kind: NotificationKind;
  shade: Shade;
  number: string;
  /** "parcel 2 of 3" is worth saying only when the order has more than one. */
  parcel: { index: number; total: number } | null;
}

const KIND_KEYS = {
  shipped: 'push.kind.shipped',
  out_for_delivery: 'push.kind.outForDelivery',
  delivered: 'push.kind.delivered',
  delayed: 'push.kind.delayed',
  exception: 'push.kind.exception',
  return_label_ready: 'push.kind.returnLabelReady',
  return_received: 'push.kind.returnReceived',
  refund_released: 'push.kind.refundReleased',
  review_invitation: 'push.kind.reviewInvitation',
  checkin: 'push.kind.checkin',
  warranty_reminder: 'push.kind.warrantyReminder',
  follow_up: 'push.kind.followUp',
  replenishment: 'push.kind.replenishment',
} as const satisfies Record<NotificationKind, string>;

const SHADE_KEYS = {
  late: null,
  quiet: 'push.shade.quiet',
  dispatch: 'push.shade.dispatch',
  pickup: 'push.shade.pickup',
  returning: 'push.shade.returning',
  failed: 'push.shade.failed',
  lost: 'push.shade.lost',
  damaged: 'push.shade.damaged',
} as const satisfies Record<Exclude<Shade, null>, string | null>;

/** The store's own wording per language (key → ICU text, the copy editor's), as emails and pages take it. */
export type StoreCopy = Partial<Record<Language, Readonly<Record<string, string>>>>;

/**
 * The body of a notification in the order's language (else the store's default language, else
 * English), in the store's own words for that language where it has put the message in them.
 */
export function notificationBody(locale: string, i: WordsInput, storeDefault: Language = 'en', copy: StoreCopy = {}): string {
  const lang = languageOf(locale) ?? storeDefault;
  const { t } = translator(lang, { orderLocale: locale, overrides: copy[lang] });
  const subject = i.parcel
    ? t('push.subject.parcel', { index: i.parcel.index, total: i.parcel.total, number: i.number })
    : t('push.subject.order', { number: i.number });
  // A shade (pickup, lost, …) words delays and exceptions more precisely.
  const shade = i.shade && (i.kind === 'delayed' || i.kind === 'exception') ? SHADE_KEYS[i.shade] : null;
  return t(shade ?? KIND_KEYS[i.kind], { subject, number: i.number });
}
