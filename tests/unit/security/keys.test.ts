import { describe, expect, it } from 'vitest';
import { resetConfig } from '../../../src/server/config.ts';
import { decryptSecret, deriveKey, encryptSecret, safeEqual, sign } from '../../../src/server/security/keys.ts';

/** Flips one bit of one byte of a base64url part of the sealed value. */
function tamper(sealed: string, part: 1 | 2 | 3, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[byte] = bytes[byte]! ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('encryptSecret and decryptSecret', () => {
  it.each(['whsec_0123456789abcdef', 'EZAK-live-key', 'ünïcødé ✓ 鍵', 'x'.repeat(500)])('round-trips %j', (plain) => {
    const sealed = encryptSecret(plain);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(plain);
    expect(decryptSecret(sealed)).toBe(plain);
  });

  it('gives a different ciphertext each time', () => {
    const a = encryptSecret('same secret');
    const b = encryptSecret('same secret');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]); // a fresh IV
    expect(decryptSecret(a)).toBe(decryptSecret(b));
  });

  it('detects tampering with the IV, the tag or the ciphertext', () => {
    const sealed = encryptSecret('whsec_0123456789abcdef');
    expect(() => decryptSecret(tamper(sealed, 1))).toThrow();
    expect(() => decryptSecret(tamper(sealed, 2, 15))).toThrow();
    expect(() => decryptSecret(tamper(sealed, 3))).toThrow();
    expect(() => decryptSecret(tamper(sealed, 3, 21))).toThrow();
  });

  it('refuses what it did not make', () => {
    const sealed = encryptSecret('whsec_0123456789abcdef');
    expect(() => decryptSecret(sealed.replace(/^v1/, 'v2'))).toThrow(/Unrecognised/);
    expect(() => decryptSecret('v1.only')).toThrow(/Unrecognised/);
    expect(() => decryptSecret('plain text')).toThrow(/Unrecognised/);
    const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string];
    expect(() => decryptSecret([v, iv, tag.slice(0, 10), body].join('.'))).toThrow(); // a truncated tag
  });

  it('cannot be opened once WAYPOST_SECRET is rotated', () => {
    const sealed = encryptSecret('whsec_0123456789abcdef');
    const before = process.env.WAYPOST_SECRET;
    process.env.WAYPOST_SECRET = 'a-rotated-secret-a-rotated-secret-012345';
    resetConfig();
    try {
      expect(() => decryptSecret(sealed)).toThrow();
    } finally {
      process.env.WAYPOST_SECRET = before;
      resetConfig();
    }
    expect(decryptSecret(sealed)).toBe('whsec_0123456789abcdef');
  });
});

describe('deriveKey, sign and safeEqual', () => {
  it('derives one 32-byte key per purpose', () => {
    const a = deriveKey('order-link');
    expect(a).toHaveLength(32);
    expect(deriveKey('order-link').equals(a)).toBe(true);
    expect(deriveKey('credentials-at-rest').equals(a)).toBe(false);
    expect(deriveKey('order-link', 'another-secret-another-secret-0123456').equals(a)).toBe(false);
  });

  it('signs deterministically, per purpose, truncated to the bytes asked for', () => {
    expect(sign('p', 'message')).toBe(sign('p', 'message'));
    expect(sign('p', 'message')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sign('p', 'message', 32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sign('q', 'message')).not.toBe(sign('p', 'message'));
    expect(sign('p', 'message!')).not.toBe(sign('p', 'message'));
  });

  it('compares strings exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
