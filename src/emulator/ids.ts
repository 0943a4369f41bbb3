// Identifiers and deterministic randomness.
import { createHash, randomUUID } from 'node:crypto';

/** A new EasyPost-style id: prefix, underscore, 32 hex digits (e.g. `trk_9135862729734d96ad2f9ed0f0565a27`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/** A stable 32-bit seed from a string, so a tracking code always gets the same journey. */
export function hashSeed(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A stable hex digest, used for per-key user ids. */
export function hashHex(text: string, length = 32): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A small seeded PRNG (mulberry32): returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max] drawn from `rand`. */
export function randInt(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** A random string of digits, for tracking codes of bought labels. */
export function randomDigits(n: number): string {
  let out = '';
  const uuid = randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '');
  for (let i = 0; i < n; i++) out += String(parseInt(uuid[i] ?? '0', 16) % 10);
  return out;
}
