// What this browser can do about web push, in the island's terms. Browser-only helpers.

export type Support = 'ok' | 'unsupported' | 'ios-install';

/** iPhone and iPad Safari allow web push only to sites added to the Home Screen (iOS 16.4+). */
export function pushSupport(): Support {
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
  const standalone = matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true;
  if (ios && !standalone) return 'ios-install';
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return 'unsupported';
  return 'ok';
}

/** The VAPID public key as the bytes PushManager.subscribe wants. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** True when an existing subscription was made with this server's key (else it must be renewed). */
export function sameKey(sub: PushSubscription, key: Uint8Array): boolean {
  const had = sub.options?.applicationServerKey;
  if (!had) return true;
  const a = new Uint8Array(had);
  return a.length === key.length && a.every((v, i) => v === key[i]);
}

/**
 * The orders this browser follows, with the endpoint each was given, kept in Cache Storage: the
 * service worker reads the same list to hand a renewed subscription to each order
 * ("pushsubscriptionchange" in sw.js), which localStorage would not allow.
 */
const FOLLOWED = 'waypost-push-followed';

/** Records (or with null, forgets) that this browser follows the order at `orderPath`; best effort. */
export async function follow(orderPath: string, endpoint: string | null): Promise<void> {
  try {
    const cache = await caches.open(FOLLOWED);
    if (endpoint) await cache.put(orderPath, new Response(endpoint));
    else await cache.delete(orderPath);
  } catch {
    // No Cache Storage (a private window may refuse it): the server has the subscription anyway.
  }
}

/** The endpoint this browser gave the order, if it follows it. */
export async function followedEndpoint(orderPath: string): Promise<string | null> {
  try {
    const hit = await (await caches.open(FOLLOWED)).match(orderPath);
    return hit ? await hit.text() : null;
  } catch {
    return null;
  }
}
