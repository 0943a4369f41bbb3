// The event catalogue in docs/events.md is generated from src/server/events/catalogue.ts:
// this test fails when the two differ. To regenerate the page's block after changing a schema:
//   WAYPOST_WRITE_CATALOGUE=1 npx vitest run --config tests/vitest.config.ts tests/unit/events/catalogue.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeCatalogue, EVENT_TYPES } from '../../../src/server/events/catalogue.ts';

const PAGE = resolve(import.meta.dirname, '../../../docs/events.md');
const START = '<!-- event-catalogue:start (generated from src/server/events/catalogue.ts) -->';
const END = '<!-- event-catalogue:end -->';

describe('the event catalogue', () => {
  it('docs/events.md shows exactly the catalogue the code sends', () => {
    const text = readFileSync(PAGE, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    expect(a, 'docs/events.md has the catalogue markers').toBeGreaterThan(0);
    const generated = `${START}\n\n${describeCatalogue()}\n${END}`;
    if (process.env.WAYPOST_WRITE_CATALOGUE === '1') writeFileSync(PAGE, text.slice(0, a) + generated + text.slice(b + END.length));
    const now = readFileSync(PAGE, 'utf8');
    expect(now.slice(now.indexOf(START), now.indexOf(END) + END.length)).toBe(generated);
  });

  it('every example fits its own schema, and every type is versioned and named for Klaviyo', () => {
    for (const t of EVENT_TYPES) {
      expect(() => t.schema.parse(t.example), t.type).not.toThrow();
      expect(t.version).toBeGreaterThanOrEqual(1);
      expect(t.metric).toMatch(/^Waypost /);
    }
    expect(new Set(EVENT_TYPES.map((t) => t.type)).size).toBe(EVENT_TYPES.length);
  });

  it('holds at least the contract’s types', () => {
    expect(EVENT_TYPES.map((t) => t.type)).toEqual(
      expect.arrayContaining([
        'shipment.shipped',
        'shipment.out_for_delivery',
        'shipment.delivered',
        'shipment.delayed',
        'shipment.exception',
        'return.created',
        'return.label_ready',
        'return.refunded',
        'review.published',
        'case.opened',
      ]),
    );
  });

  it('the schemas refuse data missing what receivers rely on', () => {
    const shipped = EVENT_TYPES.find((t) => t.type === 'shipment.shipped')!;
    const { trackingUrl: _drop, ...rest } = shipped.example;
    expect(shipped.schema.safeParse(rest).success).toBe(false);
    expect(z.toJSONSchema(shipped.schema)).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['store', 'orderNumber', 'shipment']),
    });
  });
});
