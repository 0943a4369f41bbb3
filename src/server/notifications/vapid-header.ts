// The VAPID "Authorization" header for a push service. Signing a JWT per message costs more than
// encrypting it, and one JWT serves every message to that service until it expires, so each
// service's header is kept for 11 of its 12 hours (push services accept up to 24).
import webpush from 'web-push';

const LIFETIME_S = 12 * 3600;
const kept = new Map<string, { header: string; until: number }>();

/** The header for pushes to `endpoint`'s origin, signed with these keys. */
export function vapidAuthorization(
  endpoint: string,
  vapid: { subject: string; publicKey: string; privateKey: string },
  now: number,
): string {
  const audience = new URL(endpoint).origin;
  const id = `${audience} ${vapid.publicKey} ${vapid.subject}`;
  const hit = kept.get(id);
  if (hit && hit.until > now) return hit.header;
  const exp = Math.floor(now / 1000) + LIFETIME_S;
  const h = webpush.getVapidHeaders(audience, vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm', exp) as {
    Authorization: string;
  };
  if (kept.size > 100) kept.clear();
  kept.set(id, { header: h.Authorization, until: now + (LIFETIME_S - 3600) * 1000 });
  return h.Authorization;
}
