// A change to the store document is a JSON Merge Patch (RFC 7396): objects merge key by key, null
// removes a key (its default applies again), anything else replaces. The merged document is then
// validated as a whole, so the admin's forms and the API's PATCH pass exactly the same checks.
import type { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';
import { pointer } from '../validate.ts';
import { StoreDocumentSchema, type StoreDocument } from './store-document.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396: `patch` applied to `target` (neither is modified). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The document after the patch, validated; or an 'invalid' AppError naming each bad field by its pointer. */
export function applyStorePatch(current: StoreDocument, patch: unknown, message = 'Nothing was saved'): StoreDocument {
  if (!isObject(patch)) throw new AppError('invalid', message, [{ pointer: '', detail: 'send a JSON object' }]);
  // A null return address means "none", not "the default": keep it an explicit null.
  const merged = mergePatch(current, patch) as Json;
  if (!('returnAddress' in merged)) merged.returnAddress = null;
  const r = StoreDocumentSchema.safeParse(merged);
  if (r.success) return r.data;
  const errors: FieldError[] = r.error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ pointer: pointer([...i.path, k]), detail: 'not a field of the store settings' }))
      : [{ pointer: pointer(i.path), detail: describeIssue(i) }],
  );
  throw new AppError('invalid', message, errors);
}

/** zod's own wording made plain for a merchant; our schemas' custom messages pass through. */
function describeIssue(i: z.core.$ZodIssue): string {
  if (!/^(Invalid|Too (small|big))/.test(i.message)) return i.message;
  if (i.code === 'invalid_type' && i.message.endsWith('received undefined')) return 'required';
  if (i.code === 'too_small' && i.origin === 'string' && Number(i.minimum) <= 1) return 'required';
  if (i.code === 'too_big' && i.origin === 'string') return `at most ${i.maximum} characters`;
  if (i.code === 'invalid_value') return `one of ${i.values.map(String).join(', ')}`;
  if (i.code === 'invalid_format' && i.format === 'email') return 'an email address such as help@yourstore.com';
  if (i.code === 'invalid_format' && i.format === 'url') return 'a web address starting with https://';
  if (i.code === 'invalid_type')
    return `expected ${i.expected === 'array' ? 'a list' : i.expected === 'object' ? 'an object' : `a ${i.expected}`}`;
  return i.message;
}
