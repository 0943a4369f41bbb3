// The replenishment planner: learned intervals and the reminder's decision, over plain data.
import { describe, expect, it } from 'vitest';
import {
  decideReplenishment,
  groupByDay,
  intervalFor,
  learnIntervals,
  productOfReplenishment,
  REPLENISHMENT_WINDOW_MS,
  replenishmentDayKey,
  replenishmentDayKeyOf,
  replenishmentDueAt,
  type DueReminder,
  type Purchase,
  type ReplenishmentFacts,
} from '../../../src/server/lifecycle/plan-replenishment.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T10:00:00Z');
let n = 0;
const buy = (customer: string, productId: string, day: number): Purchase => ({
  customer,
  productId,
  orderId: `o${++n}`,
  at: T0 + day * DAY,
});

describe('learnIntervals', () => {
  it('is the median gap between a customer’s consecutive orders once five customers bought again', () => {
    const p: Purchase[] = [];
    // Five repeat buyers of coffee: gaps 28, 30, 30, 32, 35 and a third order 31 days later for one.
    [28, 30, 30, 32, 35].forEach((gap, i) => p.push(buy(`c${i}`, 'COFFEE', 0), buy(`c${i}`, 'COFFEE', gap)));
    p.push(buy('c0', 'COFFEE', 28 + 31));
    // One-time buyers change nothing.
    p.push(buy('x1', 'COFFEE', 3), buy('x2', 'COFFEE', 9));
    expect(learnIntervals(p).get('COFFEE')).toBe(31); // gaps 28, 30, 30, 31, 32, 35 → median 30.5 → 31
  });

  it('learns nothing from four repeat customers, and counts an order once however many lines it has', () => {
    const p: Purchase[] = [];
    [20, 21, 22, 23].forEach((gap, i) => p.push(buy(`c${i}`, 'TEA', 0), buy(`c${i}`, 'TEA', gap)));
    const sameOrder = buy('c9', 'TEA', 5);
    p.push(sameOrder, { ...sameOrder }); // two lines of one order: not a repeat purchase
    expect(learnIntervals(p).has('TEA')).toBe(false);
    p.push(buy('c9', 'TEA', 30));
    expect(learnIntervals(p).get('TEA')).toBe(22);
  });

  it('the store’s own replenishAfterDays wins over a learned interval', () => {
    expect(intervalFor('TEA', new Map([['TEA', 45]]), new Map([['TEA', 22]]))).toBe(45);
    expect(intervalFor('TEA', new Map(), new Map([['TEA', 22]]))).toBe(22);
    expect(intervalFor('TEA', new Map(), new Map())).toBeNull();
  });
});

describe('decideReplenishment', () => {
  const delivered = Date.parse('2026-11-20T15:00:00Z');
  const dueAt = replenishmentDueAt(delivered, 30, 3);
  const facts = (over: Partial<ReplenishmentFacts> = {}): ReplenishmentFacts => ({
    dueAt,
    now: dueAt,
    marketingConsent: true,
    reordered: false,
    returned: false,
    held: false,
    url: 'https://shop.example/coffee',
    ...over,
  });

  it('comes interval − lead days after delivery, for a fortnight', () => {
    expect(dueAt).toBe(delivered + 27 * DAY);
    expect(replenishmentDueAt(delivered, 2, 3)).toBe(delivered + DAY);
    expect(decideReplenishment(facts({ now: dueAt - 1 }))).toEqual({ send: false, why: 'not_yet' });
    expect(decideReplenishment(facts())).toEqual({ send: true });
    expect(decideReplenishment(facts({ now: dueAt + REPLENISHMENT_WINDOW_MS }))).toEqual({ send: false, why: 'too_late' });
  });

  it('not after a reorder or a return, without consent, without a page to reorder on, or while something is open', () => {
    expect(decideReplenishment(facts({ reordered: true }))).toEqual({ send: false, why: 'reordered' });
    expect(decideReplenishment(facts({ returned: true }))).toEqual({ send: false, why: 'returned' });
    expect(decideReplenishment(facts({ marketingConsent: false }))).toEqual({ send: false, why: 'no_consent' });
    expect(decideReplenishment(facts({ url: null }))).toEqual({ send: false, why: 'no_link' });
    expect(decideReplenishment(facts({ held: true }))).toEqual({ send: false, why: 'held' });
  });

  it('a reminder recorded before grouping names its order and product in its key, on every channel', () => {
    const key = 'replenishment:ord1:COF:FEE-1';
    expect(productOfReplenishment(`email:${key}`, 'ord1')).toBe('COF:FEE-1');
    expect(productOfReplenishment(`push:sub9:${key}`, 'ord1')).toBe('COF:FEE-1');
    expect(productOfReplenishment('email:follow-up:ord1', 'ord1')).toBeNull();
    // A day's key is not read as a product of the old kind.
    expect(productOfReplenishment(`email:${replenishmentDayKey('ord1', '2026-12-07')}`, 'ord1')).toBeNull();
  });

  it('a day’s key comes back from every channel’s dedupe key', () => {
    const key = replenishmentDayKey('ord1', '2026-12-07');
    expect(key).toBe('replenishment-day:ord1:2026-12-07');
    expect(replenishmentDayKeyOf(`email:${key}`)).toBe(key);
    expect(replenishmentDayKeyOf(`push:sub9:${key}`)).toBe(key);
    expect(replenishmentDayKeyOf('email:replenishment:ord1:COFFEE')).toBeNull();
  });
});

describe('groupByDay', () => {
  const at = (iso: string) => Date.parse(iso);
  const r = (orderId: string, productId: string, customer: string, dueIso: string): DueReminder => ({
    orderId,
    productId,
    customer,
    dueAt: at(dueIso),
    day: dueIso.slice(0, 10),
  });
  const now = at('2026-12-07T10:00:00Z');

  it('one group per customer and local day, in due order; later that day comes forward, tomorrow waits', () => {
    const coffee = r('o1', 'COFFEE', 'ann@example.com', '2026-12-07T09:00:00Z');
    const filters = r('o2', 'FILTERS', 'ann@example.com', '2026-12-07T18:00:00Z'); // later today: with the coffee
    const soap = r('o1', 'SOAP', 'ann@example.com', '2026-12-08T09:00:00Z'); // tomorrow: not yet
    const bob = r('o3', 'COFFEE', 'bob@example.com', '2026-12-07T08:00:00Z');
    const late = r('o4', 'TEA', 'cy@example.com', '2026-12-07T12:00:00Z'); // today, but none of Cy's is due yet
    expect(groupByDay([filters, soap, late, coffee, bob], now)).toEqual([[bob], [coffee, filters]]);
  });

  it('the same order and product twice (a product in two parcels) is listed once', () => {
    const a = r('o1', 'COFFEE', 'ann@example.com', '2026-12-07T09:00:00Z');
    expect(groupByDay([a, { ...a, dueAt: a.dueAt + 3_600_000 }], now)).toEqual([[a]]);
  });
});
