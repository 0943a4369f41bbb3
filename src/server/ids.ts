// Random identifiers and secrets.
import { randomBytes, randomUUID } from 'node:crypto';
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
  return randomBytes(bytes).toString('base64url');
}
