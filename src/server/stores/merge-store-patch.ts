// A change to the store document is a JSON Merge Patch (RFC 7396): objects merge key by key, null
// removes a key (its default applies again), anything else replaces. The merged document is then
// validated as a whole, so the admin's forms and the API's PATCH pass exactly the same checks.
import type { z } from 'zod';
import { AppError, type FieldError } from '../errors.ts';
import { pointer } from '../validate.ts';
import { StoreDocumentSchema, type StoreDocument } from './store-document.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deeper than any field of the store document: a patch nested further is refused before it is walked. */
export const MAX_PATCH_DEPTH = 16;
/** Keys that would reach an object's prototype rather than its own fields. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What is wrong with a patch's shape before any merging: keys that name a prototype, and nesting
 * deeper than MAX_PATCH_DEPTH. Walked without recursion, so no input can exhaust the stack.
 */
export function patchShapeErrors(patch: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value: patch, path: [] }];
  while (stack.length > 0 && errors.length < 20) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_PATCH_DEPTH) {
      errors.push({ pointer: pointer(path), detail: `nested too deeply (at most ${MAX_PATCH_DEPTH} levels)` });
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k)) errors.push({ pointer: pointer([...path, k]), detail: 'not a field of the store settings' });
      else stack.push({ value: v, path: [...path, k] });
    }
  }
  return errors;
}

/** RFC 7396: `patch` applied to `target` (neither is modified). Merged objects have no prototype to reach. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = Object.assign(Object.create(null) as Json, isObject(target) ? target : {});
  for (const [k, v] of Object.entries(patch)) {
    if (FORBIDDEN_KEYS.has(k)) continue; // refused by patchShapeErrors; never assigned
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The document after the patch, validated; or an 'invalid' AppError naming each bad field by its pointer. */
export function applyStorePatch(current: StoreDocument, patch: unknown, message = 'Nothing was saved'): StoreDocument {
  if (!isObject(patch)) throw new AppError('invalid', message, [{ pointer: '', detail: 'send a JSON object' }]);
  const shape = patchShapeErrors(patch);
  if (shape.length) throw new AppError('invalid', message, shape);
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
