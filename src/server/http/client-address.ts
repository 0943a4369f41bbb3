// The address a rate limit counts a caller under. Behind a trusted proxy (WAYPOST_TRUSTED_PROXIES)
// it is the right-most X-Forwarded-For entry that is not itself a trusted proxy: each proxy appends
// the peer it saw, so entries to the left of the last trusted hop are whatever the client wrote
// and cannot be believed. From any other peer X-Forwarded-For is ignored: the socket's address.
// The front server works it out for every request and hands it to pages in CLIENT_ADDRESS_HEADER
// (replacing whatever a caller sent under that name).
import type { IncomingMessage } from 'node:http';
import { isIP, type BlockList } from 'node:net';
import { config } from '../config.ts';
import { isTrusted, unmapped } from '../trusted-proxies.ts';

export const CLIENT_ADDRESS_HEADER = 'x-waypost-client-address';

/** The client's address from the socket's peer and the X-Forwarded-For header(s). */
export function clientAddressFrom(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  const socket = unmapped(peer ?? '') || 'unknown';
  if (!isTrusted(trusted, socket)) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
    .split(',')
    .map((h) => unmapped(h.trim()))
    .filter(Boolean);
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // Not an address (garbage, "unknown", a port glued on): stop at the last hop we could believe.
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return client; // every hop a trusted proxy: the farthest one
}

/** Sets the request's client address header from its socket and X-Forwarded-For (the front server, before any page). */
export function markClientAddress(req: IncomingMessage): void {
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddressFrom(req.socket.remoteAddress, req.headers['x-forwarded-for'], config().trustedProxies);
}

/** The client address of a request the front server marked; `fallback` (Astro's socket address) when it did not (astro dev). */
export function clientAddressOf(request: Request, fallback: string): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? fallback;
}
