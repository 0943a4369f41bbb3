// A public, cacheable answer with a strong ETag: a matching If-None-Match gets 304 and no body.
import { createHash } from 'node:crypto';

/**
 * The response for `body`, or 304 when the client already holds it. `vary` names the request
 * headers the body depends on besides the address (the shopper's language), so caches keep them apart.
 */
export function cacheable(request: Request, body: string, contentType: string, maxAgeSeconds = 60, vary: string[] = []): Response {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = {
    'content-type': contentType,
    etag,
    'cache-control': `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds * 5}`,
    'access-control-allow-origin': '*',
    vary: ['accept-encoding', ...vary].join(', '),
  };
  const held = request.headers.get('if-none-match');
  if (held && held.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*'))
    return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers });
}
