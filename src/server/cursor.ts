// The queues' page cursor: an opaque string holding the sort key (a time and an id) of the last
// row shown, so the next page starts just after it however many rows arrive meanwhile.

export interface CursorKey {
  at: number;
  id: string;
}

/** The opaque cursor for a row's sort key. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id])).toString('base64url');
}

/** The sort key inside a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): CursorKey | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 2) return null;
    const [at, id] = v as [unknown, unknown];
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
    return { at, id };
  } catch {
    return null;
  }
}
