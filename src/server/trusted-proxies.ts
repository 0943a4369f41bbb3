// WAYPOST_TRUSTED_PROXIES: the load balancers and reverse proxies whose X-Forwarded-For is
// believed, as a comma list of addresses and CIDR ranges (10.0.0.0/8, 2001:db8::/32, 127.0.0.1).
// Parsed once into node:net's BlockList, which matches IPv4 and IPv6 addresses and ranges.
import { BlockList, isIP } from 'node:net';

/** The parsed list; `problems` names each entry that is neither an address nor a CIDR range. */
export function parseTrustedProxies(text: string | undefined): { list: BlockList; entries: string[]; problems: string[] } {
  const list = new BlockList();
  const entries: string[] = [];
  const problems: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || Number(prefix ?? 0) > bits) {
      problems.push(entry);
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
    entries.push(entry);
  }
  return { list, entries, problems };
}

/** True when `address` (as a socket or a header gives it, IPv4-mapped IPv6 included) is in the list. */
export function isTrusted(list: BlockList, address: string): boolean {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return false;
  return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

/** ::ffff:192.0.2.1 (an IPv4 peer on a dual-stack socket) is 192.0.2.1. */
export function unmapped(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return m ? m[1]! : address;
}
