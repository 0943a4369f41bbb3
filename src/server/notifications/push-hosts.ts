// Which push services the server may POST to. A subscription names the URL our server will call
// later, so without this list the subscription route would be a server-side request forgery hole.

/** The browsers' push services: Google (Chrome, Android), Mozilla, Apple, Microsoft. */
const KNOWN = [
  /^fcm\.googleapis\.com$/,
  /^android\.googleapis\.com$/,
  /^[a-z0-9-]+\.google\.com$/,
  /^updates\.push\.services\.mozilla\.com$/,
  /^(?:[a-z0-9-]+\.)*push\.apple\.com$/,
  /^(?:[a-z0-9-]+\.)*notify\.windows\.com$/,
];

/**
 * True when the endpoint may receive our pushes: https on a known push service's default port, or
 * any scheme on a host[:port] listed in WAYPOST_PUSH_HOSTS (tests, private deployments).
 */
export function isAllowedPushEndpoint(endpoint: string, extraHosts: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    return false;
  }
  if (u.username || u.password || u.hash) return false;
  const host = u.host.toLowerCase(); // includes a non-default port
  if (extraHosts.includes(host)) return u.protocol === 'https:' || u.protocol === 'http:';
  if (u.protocol !== 'https:' || u.port !== '') return false;
  return KNOWN.some((re) => re.test(u.hostname.toLowerCase()));
}
