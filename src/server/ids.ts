// Random identifiers and secrets.
import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** A new row id. */
export function newId(): string {
  return randomUUID();
}

/**
 * A new row id that sorts by creation time (UUIDv7: 48 bits of milliseconds, then random), for
 * rows written thousands of times a second and never shown to anyone (a parcel's tracking events):
 * each insert lands at the end of the primary-key index instead of on a random page of it, so a
 * commit writes one index page for its whole group of events rather than one per event.
 */
export function newSortableId(): string {
  return uuidv7();
}

/** n random bytes as base64url text (unguessable parts of tokens and keys). */
export function randomToken(bytes = 16): string {
  if (bytes > POOL_SIZE / 4) return randomBytes(bytes).toString('base64url');
  // Drawn from a pool filled by the CSPRNG a few kilobytes at a time (as randomUUID does): one
  // system call per couple of hundred tokens instead of one per token (an event id per event); each
  // byte is handed out once.
  if (poolAt + bytes > POOL_SIZE) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const token = pool.toString('base64url', poolAt, poolAt + bytes);
  poolAt += bytes;
  return token;
}
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolAt = POOL_SIZE;
