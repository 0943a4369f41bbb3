// The store patch's merge (RFC 7396) and the shape checks that run before it: no key reaches a
// prototype, no nesting exhausts the stack.
import { describe, expect, it } from 'vitest';
import { MAX_PATCH_DEPTH, mergePatch, patchShapeErrors } from '../../../src/server/stores/merge-store-patch.ts';

describe('mergePatch', () => {
  it('merges objects, replaces lists and values, and removes a key for null', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: null, e: 3 }, d: [2] })).toEqual({ a: { c: 2, e: 3 }, d: [2] });
    expect(mergePatch({ a: 1 }, 'x')).toBe('x');
  });

  it('builds objects without a prototype and never assigns __proto__', () => {
    const merged = mergePatch({}, JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(merged.polluted).toBeUndefined();
    expect(Object.keys(merged)).toEqual(['ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('patchShapeErrors', () => {
  it('names every key that would reach a prototype, at any depth', () => {
    const patch = JSON.parse('{"__proto__": 1, "a": {"constructor": {"x": 1}, "b": [{"prototype": 2}]}}');
    expect(
      patchShapeErrors(patch)
        .map((e) => e.pointer)
        .sort(),
    ).toEqual(['/__proto__', '/a/b/0/prototype', '/a/constructor']);
  });

  it('refuses nesting past the limit without recursing (100,000 levels)', () => {
    const deep = JSON.parse('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000));
    const errors = patchShapeErrors(deep);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.pointer.split('/').length - 1).toBe(MAX_PATCH_DEPTH);
  });

  it('accepts an ordinary patch', () => {
    expect(patchShapeErrors({ branding: { primaryColor: '#000000' }, policies: { returns: { windowDays: 30 } } })).toEqual([]);
  });
});
