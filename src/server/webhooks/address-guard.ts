// Events go to URLs a store typed in, so the sender must not become a way into our own network
// (server-side request forgery). An endpoint on a loopback, private, link-local (cloud metadata
// included), unspecified or multicast address is refused, by its name's addresses at registration
// and again by the address actually connected to at send time (a name that later resolves to
// 127.0.0.1 does not get through), unless WAYPOST_WEBHOOK_HOSTS lists its host:port.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, 169.254.169.254 (cloud metadata) included
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast included
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 (may map onto private IPv4)
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** True when an IP address is one events must not go to. IPv4-mapped IPv6 is judged as its IPv4. */
export function isForbiddenAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return blocked.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** How names are resolved: every address of a name (tests install their own, see setWebhookResolver). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))));

const g = globalThis as { __waypostWebhookResolver?: Resolver };

/** Replaces the name resolver (tests: a name that resolves to a public address, then to loopback). */
export function setWebhookResolver(r: Resolver | null): void {
  g.__waypostWebhookResolver = r ?? undefined;
}

function resolver(): Resolver {
  return g.__waypostWebhookResolver ?? systemResolver;
}

/** The URL's host:port as WAYPOST_WEBHOOK_HOSTS lists it (the port always written). */
export function hostPort(u: URL): string {
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.hostname.toLowerCase()}:${port}`;
}

/**
 * Why a URL may not receive events (null: it may). Checks the form, then, unless the host is
 * allowed, every address its name resolves to.
 */
export async function refuseUrl(url: string, allowedHosts: readonly string[]): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an http or https URL';
  if (u.username || u.password) return 'must not carry a user name or password';
  if (u.hash) return 'must not carry a #fragment';
  if (allowedHosts.includes(hostPort(u))) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isForbiddenAddress(host) ? `points at a loopback, private or link-local address (${host})` : null;
  let addrs: LookupAddress[];
  try {
    addrs = await resolver()(host);
  } catch {
    return `its host name "${host}" does not resolve`;
  }
  if (addrs.length === 0) return `its host name "${host}" does not resolve`;
  const bad = addrs.find((a) => isForbiddenAddress(a.address));
  return bad ? `its host name resolves to a loopback, private or link-local address (${bad.address})` : null;
}

/**
 * A `lookup` for http.request that connects only to permitted addresses: the address the socket
 * will use is the one checked, so a name re-pointed after registration is refused at send time.
 */
export function guardedLookup(allowed: boolean) {
  return (
    hostname: string,
    options: { all?: boolean },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    resolver()(hostname).then(
      (addrs) => {
        const ok = allowed ? addrs : addrs.filter((a) => !isForbiddenAddress(a.address));
        if (ok.length === 0) {
          const err: NodeJS.ErrnoException = new Error(
            `refused: ${hostname} resolves only to loopback, private or link-local addresses (${addrs.map((a) => a.address).join(', ')})`,
          );
          err.code = 'EADDRREFUSED_WAYPOST';
          callback(err, '', 0);
        } else if (options.all) callback(null, ok);
        else callback(null, ok[0]!.address, ok[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
