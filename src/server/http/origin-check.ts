// Cross-site request forgery: a state-changing request from a browser must come from our own
// origin. The machine API (/api/) authenticates with bearer keys or signatures, never cookies, so
// it is exempt and answers its own problem+json errors.
import { config } from '../config.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the request must be refused as cross-site. */
export function isCrossSiteWrite(request: Request, url: URL): boolean {
  if (SAFE.has(request.method) || url.pathname.startsWith('/api/')) return false;
  // RFC 8058 one-click unsubscribe: a mailbox provider posts it with no Origin; the signed token is the authority.
  if (request.method === 'POST' && /^\/[^/]+\/unsubscribe\/[^/]+$/.test(url.pathname)) return false;
  const origin = request.headers.get('origin');
  if (origin) return origin !== url.origin && origin !== new URL(config().publicUrl).origin;
  // No Origin header (old browsers): fall back to Fetch Metadata, refuse when it says cross-site.
  const site = request.headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}
