// What a settings change changed, for the audit log: each field by its dotted name, old → new.
// Lists are compared whole (a reordered list of reasons is a change to the list).

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaf fields that differ between two documents; `undefined` (absent) shows as null. */
export function describeChanges(before: unknown, after: unknown, prefix = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => describeChanges(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ field: prefix, from: before ?? null, to: after ?? null }];
}
