import { describe, expect, it } from 'vitest';
import { backoffAfter, nextSyncAfter } from '../../../src/server/tracking/sync-cadence.ts';
import type { ShipmentStatus } from '../../../src/server/tracking/statuses.ts';

const NOW = Date.parse('2026-11-24T15:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;

describe('nextSyncAfter', () => {
  it.each([
    ['unknown', 6 * H],
    ['pre_transit', 6 * H],
    ['in_transit', 4 * H],
    ['out_for_delivery', 30 * MIN],
    ['available_for_pickup', 12 * H],
    ['failure', 12 * H],
    ['error', 12 * H],
  ] as [ShipmentStatus, number][])('polls a %s parcel again after %d ms', (status, wait) => {
    expect(nextSyncAfter(status, NOW)).toBe(NOW + wait);
  });

  it('looks sooner when the parcel is out for delivery than while in transit', () => {
    expect(nextSyncAfter('out_for_delivery', NOW)!).toBeLessThan(nextSyncAfter('in_transit', NOW)!);
    expect(nextSyncAfter('in_transit', NOW)!).toBeLessThan(nextSyncAfter('pre_transit', NOW)!);
  });

  it.each(['delivered', 'return_to_sender', 'cancelled'] as const)('never polls a %s parcel again', (status) => {
    expect(nextSyncAfter(status, NOW)).toBeNull();
  });
});

describe('backoffAfter', () => {
  const mid = () => 0.5; // no jitter: exactly the base

  it('grows exponentially from 30 seconds', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffAfter(a, NOW, mid) - NOW)).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000,
    ]);
  });

  it('treats no attempts (or a nonsense count) like the first', () => {
    expect(backoffAfter(0, NOW, mid) - NOW).toBe(30_000);
    expect(backoffAfter(-3, NOW, mid) - NOW).toBe(30_000);
  });

  it('is capped at one hour, however many attempts', () => {
    expect(backoffAfter(8, NOW, mid) - NOW).toBe(H); // 30 s × 2⁷ = 64 min → 60 min
    expect(backoffAfter(50, NOW, mid) - NOW).toBe(H);
    expect(backoffAfter(5000, NOW, mid) - NOW).toBe(H); // 2^4999 is Infinity: still capped
  });

  it('jitters within ±50% of the base', () => {
    expect(backoffAfter(1, NOW, () => 0) - NOW).toBe(15_000);
    expect(backoffAfter(1, NOW, () => 0.25) - NOW).toBe(22_500);
    expect(backoffAfter(1, NOW, () => 0.999_999) - NOW).toBe(45_000);
    expect(backoffAfter(3, NOW, () => 0) - NOW).toBe(60_000);
    expect(backoffAfter(20, NOW, () => 0) - NOW).toBe(30 * MIN);
    expect(backoffAfter(20, NOW, () => 0.999_999) - NOW).toBe(5_399_996);
  });

  it('spreads retries evenly across the band as the random draw varies', () => {
    const waits = Array.from({ length: 100 }, (_, i) => backoffAfter(4, NOW, () => i / 100) - NOW);
    expect(waits[0]).toBe(120_000);
    expect(waits[50]).toBe(240_000);
    expect(waits[99]).toBe(357_600);
    for (let i = 1; i < waits.length; i++) expect(waits[i]! - waits[i - 1]!).toBe(2_400);
  });
});
