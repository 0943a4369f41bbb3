// Headers every response carries, whoever answers it (Astro or the front server's cache).
export const SECURITY_HEADERS: [string, string][] = [
  // The order link is the access: never hand it to another site in a Referer. (Not 'no-referrer':
  // with it browsers send "Origin: null" on our own form posts, which the origin check must refuse.)
  ['referrer-policy', 'same-origin'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()'],
];
