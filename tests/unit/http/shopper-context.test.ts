import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { routePatternOf } from '../../../src/server/http/api-methods.ts';
import { isShopperRoute, SHOPPER_ENDPOINTS } from '../../../src/server/http/shopper-context.ts';

const pages = fileURLToPath(new URL('../../../src/pages', import.meta.url));

describe('shopper routes', () => {
  it('lists every endpoint under /[store] (an unknown store reaches them, and they answer their own 404)', () => {
    const files = readdirSync(`${pages}/[store]`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(new Set(files.map((f) => routePatternOf(`/pages/[store]/${f}`)))).toEqual(SHOPPER_ENDPOINTS);
  });

  it('knows a shopper route from its pattern', () => {
    expect(['/[store]', '/[store]/t/[token]', '/[store]/r/[returnToken]/[file]'].every(isShopperRoute)).toBe(true);
    expect(['/admin', '/api/v1/store', '/404', '/'].some(isShopperRoute)).toBe(false);
  });
});
