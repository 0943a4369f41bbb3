// Query parameters as the queue filters read them: blank values (an "Any" option) mean "not set".
import { z } from 'zod';
import { decodeCursor, type CursorKey } from './cursor.ts';

/** The parameters with blank values dropped; accepts URLSearchParams or a plain record. */
export function readQuery(params: URLSearchParams | Record<string, string | undefined>): Record<string, string> {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const out: Record<string, string> = {};
  for (const [k, v] of entries) if (typeof v === 'string' && v.trim() !== '' && !(k in out)) out[k] = v.trim();
  return out;
}

/** A zod field for an opaque page cursor, decoded to its sort key. */
export const cursorField = z
  .string()
  .transform((s, ctx): CursorKey => {
    const key = decodeCursor(s);
    if (!key) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor from a previous page' });
      return z.NEVER;
    }
    return key;
  })
  .optional();

/** A zod field for a page size between 1 and max. */
export const limitField = (max: number) =>
  z.coerce.number('a whole number').int('a whole number').min(1, 'at least 1').max(max, `at most ${max}`).optional();
