// The name a review is shown under: the shopper's choice, or first name and initial by default,
// so a full name is never published unless the shopper typed it.

/** "Ann Lee" → "Ann L."; "Prince" → "Prince"; "" → "Verified buyer". */
export function defaultDisplayName(customerName: string): string {
  const parts = customerName.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return 'Verified buyer';
  const first = parts[0]!;
  const last = parts.length > 1 ? parts[parts.length - 1]! : '';
  return last ? `${first} ${[...last][0]!.toUpperCase()}.` : first;
}
