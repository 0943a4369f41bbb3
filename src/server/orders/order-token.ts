// The order link's token, signed for the store under its own purpose (see security/link-token.ts).
import { createLinkToken, readLinkToken } from '../security/link-token.ts';

const PURPOSE = 'order-link';

/** The token for an order's link. */
export function createOrderToken(storeId: string, accessId: string): string {
  return createLinkToken(PURPOSE, storeId, accessId);
}

/** The accessId inside a token if its signature holds for this store, else null. */
export function readOrderToken(storeId: string, token: string): string | null {
  return readLinkToken(PURPOSE, storeId, token);
}
