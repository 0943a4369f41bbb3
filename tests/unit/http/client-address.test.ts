// Which address a rate limit counts: the socket's peer, unless it is a trusted proxy; then the
// right-most X-Forwarded-For hop that is not itself trusted. And a bad WAYPOST_TRUSTED_PROXIES
// stops start-up with a message naming the entry.
import { afterEach, describe, expect, it } from 'vitest';
import { config, resetConfig } from '../../../src/server/config.ts';
import { clientAddressFrom } from '../../../src/server/http/client-address.ts';
import { isTrusted, parseTrustedProxies } from '../../../src/server/trusted-proxies.ts';

const trusted = parseTrustedProxies('10.0.0.0/8, 192.0.2.7, 2001:db8::/32').list;

describe('parseTrustedProxies', () => {
  it('takes addresses and CIDR ranges of both families, and names what it cannot read', () => {
    const p = parseTrustedProxies(' 10.0.0.0/8,192.0.2.7 ,, 2001:db8::/32, fe80::1 ');
    expect(p.entries).toEqual(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', 'fe80::1']);
    expect(p.problems).toEqual([]);
    expect(isTrusted(p.list, '10.255.1.2')).toBe(true);
    expect(isTrusted(p.list, '::ffff:10.1.1.1')).toBe(true); // an IPv4 peer on a dual-stack socket
    expect(isTrusted(p.list, '11.0.0.1')).toBe(false);
    expect(isTrusted(p.list, '192.0.2.8')).toBe(false);
    expect(isTrusted(p.list, '2001:db8:ffff::1')).toBe(true);
    expect(isTrusted(p.list, '2001:db9::1')).toBe(false);
    expect(isTrusted(p.list, 'not-an-ip')).toBe(false);
    expect(parseTrustedProxies('10.0.0.0/33, proxy.internal, 1.2.3.4/8/1, ::1/129, 10.0.0.1/x').problems).toEqual([
      '10.0.0.0/33',
      'proxy.internal',
      '1.2.3.4/8/1',
      '::1/129',
      '10.0.0.1/x',
    ]);
    expect(parseTrustedProxies(undefined).entries).toEqual([]);
  });
});

describe('clientAddressFrom', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddressFrom('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9');
    expect(clientAddressFrom('::ffff:203.0.113.9', undefined, trusted)).toBe('203.0.113.9');
    expect(clientAddressFrom('127.0.0.1', '198.51.100.1', parseTrustedProxies('').list)).toBe('127.0.0.1');
  });

  it('behind trusted proxies takes the right-most hop that is not one of them', () => {
    expect(clientAddressFrom('10.0.0.2', '198.51.100.1', trusted)).toBe('198.51.100.1');
    // A client that writes its own X-Forwarded-For gets its real address counted, not the one it wrote.
    expect(clientAddressFrom('10.0.0.2', '1.1.1.1, 198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(clientAddressFrom('10.0.0.2', '1.1.1.1, 198.51.100.1, 192.0.2.7, 10.9.9.9', trusted)).toBe('198.51.100.1');
    expect(clientAddressFrom('10.0.0.2', ['1.1.1.1, 198.51.100.1', '10.4.4.4'], trusted)).toBe('198.51.100.1');
    expect(clientAddressFrom('10.0.0.2', '2001:db8::5, 2a00:1450::1', trusted)).toBe('2a00:1450::1');
  });

  it('stops at a hop it cannot read, and without any hop keeps the proxy’s own address', () => {
    expect(clientAddressFrom('10.0.0.2', 'garbage', trusted)).toBe('10.0.0.2');
    expect(clientAddressFrom('10.0.0.2', '198.51.100.1, unknown, 10.1.1.1', trusted)).toBe('10.1.1.1');
    expect(clientAddressFrom('10.0.0.2', undefined, trusted)).toBe('10.0.0.2');
    expect(clientAddressFrom('10.0.0.2', '10.3.3.3, 10.1.1.1', trusted)).toBe('10.3.3.3'); // all trusted: the farthest
  });
});

describe('WAYPOST_TRUSTED_PROXIES', () => {
  afterEach(() => {
    delete process.env.WAYPOST_TRUSTED_PROXIES;
    resetConfig();
  });

  it('stops start-up with the entry it cannot read', () => {
    process.env.WAYPOST_TRUSTED_PROXIES = '10.0.0.0/8, lb.internal';
    resetConfig();
    expect(() => config()).toThrow(/WAYPOST_TRUSTED_PROXIES: not an IP address or CIDR range: lb\.internal/);
  });

  it('is read into the list the front server checks peers against', () => {
    process.env.WAYPOST_TRUSTED_PROXIES = '10.0.0.0/8';
    resetConfig();
    expect(isTrusted(config().trustedProxies, '10.2.3.4')).toBe(true);
    expect(isTrusted(config().trustedProxies, '127.0.0.1')).toBe(false);
  });
});
