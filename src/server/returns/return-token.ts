// The return page's token: "<accessId>.<signature>", signed like the order link (order-token.ts)
// under its own purpose, so an order token never opens a return page and the reverse.
import { safeEqual, sign } from '../security/keys.ts';

const PURPOSE = 'return-link';
const SHAPE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

/** The token for a return's page. */
export function createReturnToken(storeId: string, accessId: string): string {
  return `${accessId}.${sign(PURPOSE, `${storeId}:${accessId}`)}`;
}

/** The accessId inside a token if its signature holds for this store, else null. */
export function readReturnToken(storeId: string, token: string): string | null {
  const m = SHAPE.exec(token);
  if (!m) return null;
  const [, accessId, signature] = m as unknown as [string, string, string];
  return safeEqual(signature, sign(PURPOSE, `${storeId}:${accessId}`)) ? accessId : null;
}
