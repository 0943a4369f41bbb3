// The order link's token: "<accessId>.<signature>". accessId is 16 random bytes stored on the
// order; the signature binds it to the store, so a token is useless under another store's slug
// and a guessed or edited token is refused before any database look-up.
import { safeEqual, sign } from '../security/keys.ts';

const PURPOSE = 'order-link';
const SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/** The token for an order's link. */
export function createOrderToken(storeId: string, accessId: string): string {
  return `${accessId}.${sign(PURPOSE, `${storeId}:${accessId}`)}`;
}

/** The accessId inside a token if its signature holds for this store, else null. */
export function readOrderToken(storeId: string, token: string): string | null {
  const m = SHAPE.exec(token);
  if (!m) return null;
  const [, accessId, signature] = m as unknown as [string, string, string];
  return safeEqual(signature, sign(PURPOSE, `${storeId}:${accessId}`)) ? accessId : null;
}
