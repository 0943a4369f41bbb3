// How look-ups compare what a shopper types with what the store sent.

/** "#1001 " → "1001"; case-insensitive. */
export function normalizeOrderNumber(n: string): string {
  return n.replace(/\s+/g, '').replace(/^#+/, '').toUpperCase();
}

/** "  Ann@Example.COM" → "ann@example.com". */
export function normalizeEmail(e: string): string {
  return e.trim().toLowerCase();
}

/** "sw1a 1aa", "97201-1234" → "SW1A1AA", "972011234": no spaces, dashes or case. */
export function normalizePostalCode(p: string): string {
  return p.replace(/[\s-]+/g, '').toUpperCase();
}
