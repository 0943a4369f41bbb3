// Random identifiers and secrets.
import { randomBytes, randomUUID } from 'node:crypto';

/** A new row id. */
export function newId(): string {
  return randomUUID();
}

/** n random bytes as base64url text (unguessable parts of tokens and keys). */
export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
