// One notification as the device receives it: a short branded message in the order's language,
// a link straight to the page it is about, and the push options (topic, TTL, urgency). Pure: the sender
// loads the facts, this decides the words.
import { createHash } from 'node:crypto';
import type { Language } from '../i18n/languages.ts';
import { notificationBody, type Shade, type StoreCopy } from './notification-words.ts';
import type { NotificationKind } from './queue-notification.ts';

export interface NotificationFacts {
  kind: NotificationKind;
  eventKey: string;
  publicUrl: string;
  /** `copy`: the store's own wording per language, which the body takes over the catalogue's. */
  store: { slug: string; name: string; logoUrl: string | null; defaultLanguage?: Language; copy?: StoreCopy };
  order: { id: string; number: string; locale: string; token: string };
  /** The parcel this is about, with its place among the order's parcels. */
  shipment: { id: string; status: string; statusDetail: string | null; index: number; total: number } | null;
  returnId: string | null;
  /** The return page's token, when this is news about a return. */
  returnToken?: string | null;
}

export interface PushMessage {
  /** The JSON the service worker reads (title, body, icon, url, tag). */
  payload: string;
  options: { TTL: number; urgency: 'high' | 'normal'; topic: string };
}

/** Shown when the store has no logo. */
export const DEFAULT_ICON_PATH = '/icons/notification.png';
const HOUR = 3600;
/** Stale news is worse than none: an "out for delivery" read tomorrow is wrong. */
const TTL: Partial<Record<NotificationKind, number>> = { out_for_delivery: 8 * HOUR, delivered: 6 * HOUR };
const URGENT: ReadonlySet<NotificationKind> = new Set(['out_for_delivery', 'exception']);

/** Builds the message for one outbox row. */
export function buildNotification(f: NotificationFacts): PushMessage {
  const base = f.publicUrl.replace(/\/+$/, '');
  // Straight to what the news is about: the return's page, the review form, or the order page.
  const orderUrl = `${base}/${f.store.slug}/t/${f.order.token}`;
  const url = f.returnToken
    ? `${base}/${f.store.slug}/r/${f.returnToken}`
    : f.kind === 'review_invitation'
      ? `${orderUrl}/review`
      : orderUrl;
  const logo = f.store.logoUrl;
  const icon = logo ? (logo.startsWith('/') ? base + logo : logo) : base + DEFAULT_ICON_PATH;
  const parcel = f.shipment && f.shipment.total > 1 ? { index: f.shipment.index, total: f.shipment.total } : null;
  const body = notificationBody(
    f.order.locale,
    { kind: f.kind, shade: shadeOf(f), number: f.order.number, parcel },
    f.store.defaultLanguage,
    f.store.copy,
  );
  const topic = topicFor(f.shipment?.id ?? f.returnId ?? f.order.id);
  // Well under the 4 KB push services accept, whatever the store's name or logo URL: clipped.
  const payload = JSON.stringify({
    title: clip(f.store.name, 60),
    body: clip(body, 180),
    icon: icon.length <= 1000 ? icon : base + DEFAULT_ICON_PATH,
    url,
    tag: topic,
    kind: f.kind,
    lang: f.order.locale,
  });
  return {
    payload,
    options: { TTL: TTL[f.kind] ?? 24 * HOUR, urgency: URGENT.has(f.kind) ? 'high' : 'normal', topic },
  };
}

/**
 * The push `topic` (≤ 32 URL-safe base64 characters): one per parcel, so the push service keeps
 * only the newest undelivered update for it and the device replaces the older notification.
 * A hash, so the topic header says nothing readable about the order.
 */
export function topicFor(id: string): string {
  return createHash('sha256').update(`waypost-topic:${id}`).digest('base64url').slice(0, 22);
}

function shadeOf(f: NotificationFacts): Shade {
  if (f.kind === 'delayed') {
    const notice = f.eventKey.split(':')[1];
    return notice === 'late' ? 'late' : notice === 'delayed_dispatch' ? 'dispatch' : notice ? 'quiet' : null;
  }
  if (f.kind !== 'exception' || !f.shipment) return null;
  const { status, statusDetail } = f.shipment;
  if (statusDetail === 'lost') return 'lost';
  if (statusDetail === 'damaged') return 'damaged';
  if (status === 'available_for_pickup') return 'pickup';
  if (status === 'return_to_sender' || statusDetail === 'return_to_sender') return 'returning';
  if (status === 'failure') return 'failed';
  return null;
}

function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}
