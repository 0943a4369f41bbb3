// Tokens of the links handed to shoppers: "<accessId>.<signature>". accessId is 16 random bytes
// stored on the row; the signature binds it to the store and to a purpose, so a token is useless
// under another store's slug or for another kind of page, and a guessed or edited token is
// refused before any database look-up.
import { safeEqual, sign } from './keys.ts';

const SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/** The token for a row's link under this purpose. */
export function createLinkToken(purpose: string, storeId: string, accessId: string): string {
  return `${accessId}.${sign(purpose, `${storeId}:${accessId}`)}`;
}

/** The accessId inside a token if its signature holds for this purpose and store, else null. */
export function readLinkToken(purpose: string, storeId: string, token: string): string | null {
  const m = SHAPE.exec(token);
  if (!m) return null;
  const [, accessId, signature] = m as unknown as [string, string, string];
  return safeEqual(signature, sign(purpose, `${storeId}:${accessId}`)) ? accessId : null;
}
