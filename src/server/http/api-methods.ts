// Which methods each /api route answers, from the route modules' own exports, so that an unknown
// API path is a problem+json 404 and a method a route does not export is a 405 with `Allow`
// (Astro alone answers both with the HTML 404 page).
const HANDLERS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** A route file's path (as import.meta.glob names it) → its route pattern as Astro reports it (`ctx.routePattern`). */
export function routePatternOf(file: string): string {
  return file
    .replace(/^.*?\/pages/, '')
    .replace(/\.(ts|js)$/, '')
    .replace(/\/index$/, '');
}

/** The methods a route module answers (HEAD wherever GET is). */
export function allowedMethods(mod: Record<string, unknown>): string[] {
  if (typeof mod.ALL === 'function') return [...HANDLERS];
  const allowed = HANDLERS.filter((m) => typeof mod[m] === 'function');
  if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.splice(1, 0, 'HEAD');
  return allowed;
}

/** Route pattern → allowed methods, for every API route module. */
export function apiMethodTable(modules: Record<string, Record<string, unknown>>): Map<string, string[]> {
  return new Map(Object.entries(modules).map(([file, mod]) => [routePatternOf(file), allowedMethods(mod)]));
}
