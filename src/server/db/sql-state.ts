// Error codes across both drivers, for deciding what an error means (retry, a duplicate).
/** The error's code (a SQLSTATE, a SQLITE_… code, a socket's E…), looking through drizzle's wrapping (cause). */
export function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ('code' in e && (e as { code: unknown }).code !== undefined) return String((e as { code: unknown }).code);
  }
  return undefined;
}
