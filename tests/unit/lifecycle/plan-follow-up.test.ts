// The follow-up planner: what it suggests and when it goes, over plain data.
import { describe, expect, it } from 'vitest';
import { decideFollowUp, FOLLOW_UP_WINDOW_MS, suggestProducts, type FollowUpFacts } from '../../../src/server/lifecycle/plan-follow-up.ts';

const DAY = 86_400_000;
const all = new Set(['STOVE', 'POT', 'LAMP', 'MAT', 'PEGS', 'FLASK', 'CHAIR']);

describe('suggestProducts', () => {
  it('takes the store’s related lists in the order’s item order, without what is owned, bought or unavailable', () => {
    const ids = suggestProducts({
      bought: ['TENT', 'MUG'],
      related: { TENT: ['MAT', 'PEGS', 'MUG', 'LAMP'], MUG: ['FLASK', 'MAT', 'STOVE'] },
      boughtTogether: [['TENT', 'CHAIR']],
      owned: new Set(['TENT', 'MUG', 'PEGS']),
      available: new Set([...all].filter((id) => id !== 'LAMP')),
    });
    expect(ids).toEqual(['MAT', 'FLASK', 'STOVE']);
  });

  it('at most four', () => {
    const ids = suggestProducts({ bought: ['TENT'], related: { TENT: [...all] }, boughtTogether: [], owned: new Set(), available: all });
    expect(ids).toEqual(['STOVE', 'POT', 'LAMP', 'MAT']);
  });

  it('falls back to what the store’s customers bought together, most often first, only when related offers nothing', () => {
    const input = {
      bought: ['TENT'],
      related: { TENT: ['LAMP'] },
      boughtTogether: [
        ['TENT', 'MAT', 'STOVE'],
        ['TENT', 'STOVE', 'STOVE'],
        ['TENT', 'POT', 'STOVE'],
        ['CHAIR', 'FLASK'],
        ['TENT', 'MAT'],
      ],
      owned: new Set(['TENT', 'POT']),
      available: new Set([...all].filter((id) => id !== 'LAMP')),
    };
    // LAMP is unavailable, so related gives nothing; CHAIR/FLASK never came with a tent.
    expect(suggestProducts(input)).toEqual(['STOVE', 'MAT']);
    expect(suggestProducts({ ...input, available: all })).toEqual(['LAMP']);
  });

  it('nothing when nothing fits', () => {
    expect(suggestProducts({ bought: ['TENT'], related: {}, boughtTogether: [], owned: new Set(['TENT']), available: all })).toEqual([]);
  });
});

describe('decideFollowUp', () => {
  const delivered = Date.parse('2026-11-20T15:00:00Z');
  const facts = (over: Partial<FollowUpFacts> = {}): FollowUpFacts => ({
    deliveredAt: delivered,
    now: delivered + 10 * DAY,
    policy: { followUpDays: 10, followUpGapDays: 30 },
    marketingConsent: true,
    held: false,
    lastFollowUpAt: null,
    suggestions: 3,
    ...over,
  });

  it('goes followUpDays after delivery, and not a fortnight after that', () => {
    expect(decideFollowUp(facts({ now: delivered + 10 * DAY - 1 }))).toEqual({ send: false, why: 'not_yet' });
    expect(decideFollowUp(facts())).toEqual({ send: true });
    expect(decideFollowUp(facts({ now: delivered + 10 * DAY + FOLLOW_UP_WINDOW_MS }))).toEqual({ send: false, why: 'too_late' });
  });

  it('never without consent, while something is open, within the gap, or with nothing to suggest', () => {
    expect(decideFollowUp(facts({ marketingConsent: false })).send).toBe(false);
    expect(decideFollowUp(facts({ held: true }))).toEqual({ send: false, why: 'held' });
    const now = delivered + 10 * DAY;
    expect(decideFollowUp(facts({ lastFollowUpAt: now - 29 * DAY }))).toEqual({ send: false, why: 'recently_contacted' });
    expect(decideFollowUp(facts({ lastFollowUpAt: now - 30 * DAY }))).toEqual({ send: true });
    expect(decideFollowUp(facts({ suggestions: 0 }))).toEqual({ send: false, why: 'nothing_to_suggest' });
  });
});
