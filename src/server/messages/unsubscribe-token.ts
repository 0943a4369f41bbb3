// The one-click unsubscribe link's token (RFC 8058): the address and a signature binding it to
// the store, so the link works with nothing else (no cookie, no session) and cannot be forged for
// another address or store.
import { safeEqual, sign } from '../security/keys.ts';

const PURPOSE = 'unsubscribe';

/** The token for an address of a store. */
export function createUnsubscribeToken(storeId: string, emailNorm: string): string {
  return `${Buffer.from(emailNorm).toString('base64url')}.${sign(PURPOSE, `${storeId}:${emailNorm}`)}`;
}

/** The address inside the token if its signature holds for this store, else null. */
export function readUnsubscribeToken(storeId: string, token: string): string | null {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const email = Buffer.from(m[1]!, 'base64url').toString('utf8');
  return safeEqual(m[2]!, sign(PURPOSE, `${storeId}:${email}`)) ? email : null;
}
