// The return page's token, signed like the order link under its own purpose, so an order token
// never opens a return page and the reverse (see link-token.ts).
import { createLinkToken, readLinkToken } from './link-token.ts';

const PURPOSE = 'return-link';

/** The token for a return's page. */
export function createReturnToken(storeId: string, accessId: string): string {
  return createLinkToken(PURPOSE, storeId, accessId);
}

/** The accessId inside a token if its signature holds for this store, else null. */
export function readReturnToken(storeId: string, token: string): string | null {
  return readLinkToken(PURPOSE, storeId, token);
}
