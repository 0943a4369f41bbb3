// Keys derived from WAYPOST_SECRET, one per purpose, so a key leaked from one use opens nothing else.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { config } from '../config.ts';

const cache = new Map<string, Buffer>();

/** A 32-byte key for one purpose (HKDF-SHA256 over WAYPOST_SECRET). */
export function deriveKey(purpose: string, secret = config().secret): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let key = cache.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'waypost', purpose, 32));
    cache.set(id, key);
  }
  return key;
}

/** HMAC-SHA256 of message under the purpose's key, truncated to `bytes`, base64url. */
export function sign(purpose: string, message: string, bytes = 16): string {
  return createHmac('sha256', deriveKey(purpose)).update(message).digest().subarray(0, bytes).toString('base64url');
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Encrypts a stored credential (AES-256-GCM); the result is "v1.iv.tag.ciphertext". */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey('credentials-at-rest'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

const opened = new Map<string, string>();

/** Decrypts what encryptSecret made (kept in memory, as the webhook path needs it per event). */
export function decryptSecret(sealed: string): string {
  const id = `${config().secret}\u0000${sealed}`; // a rotated WAYPOST_SECRET must not open old values from memory
  let plain = opened.get(id);
  if (plain === undefined) {
    plain = openSealed(sealed);
    if (opened.size > 1000) opened.clear();
    opened.set(id, plain);
  }
  return plain;
}

/** Decrypts; throws if it was tampered with or the secret changed. */
function openSealed(sealed: string): string {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unrecognised sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', deriveKey('credentials-at-rest'), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
