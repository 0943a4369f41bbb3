// The /api method table is built from the route modules' own exports.
import { describe, expect, it } from 'vitest';
import { allowedMethods, apiMethodTable, routePatternOf } from '../../../src/server/http/api-methods.ts';

describe('the /api method table', () => {
  it('names routes as Astro reports their pattern', () => {
    expect(routePatternOf('./pages/api/v1/orders/index.ts')).toBe('/api/v1/orders');
    expect(routePatternOf('./pages/api/v1/orders/[number]/shipments.ts')).toBe('/api/v1/orders/[number]/shipments');
    expect(routePatternOf('./pages/api/health.ts')).toBe('/api/health');
  });

  it('allows what a module exports, HEAD wherever GET is, everything for ALL', () => {
    const fn = () => new Response();
    expect(allowedMethods({ GET: fn, PATCH: fn })).toEqual(['GET', 'HEAD', 'PATCH']);
    expect(allowedMethods({ POST: fn, prerender: false })).toEqual(['POST']);
    expect(allowedMethods({ ALL: fn })).toContain('DELETE');
    expect(apiMethodTable({ './pages/api/v1/store.ts': { GET: fn } }).get('/api/v1/store')).toEqual(['GET', 'HEAD']);
  });
});
