// The jobs registry over a real SQLite file: every job is started from the one list, a one-worker
// job runs on one worker at a time (the other's round does nothing until the lease is given back
// or runs out), and the prune job keeps rate_limits from growing.
import { count } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/server/clock.ts';
import { db, firstRow, schema, transaction } from '../../src/server/db.ts';
import { JOBS, startJobs } from '../../src/server/jobs/registry.ts';
import { countAttempt } from '../../src/server/ratelimit/rate-limit.ts';
import { freshDatabase } from '../support/database.ts';
import { passLeaseTime } from '../support/leases.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const counters = async () => Number((await firstRow(db().select({ n: count() }).from(schema.rateLimits)))?.n ?? 0);
/** n rate-limit counters whose windows began at `at`. */
async function oldCounters(prefix: string, n: number, at: number) {
  for (let i = 0; i < n; i++) await countAttempt(`${prefix}:${i}`, { max: 5, windowMs: 15 * 60_000 }, at);
}

beforeEach(async () => {
  await freshDatabase();
});

describe('the list', () => {
  it('names each job once, with what it does, its cadence and whether it is one worker’s', () => {
    const names = JOBS.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'carrier-sync',
      'return-labels',
      'push',
      'webhooks',
      'email',
      'delay-scan',
      'review-invitations',
      'checkins',
      'held-reviews',
      'warranty-reminders',
      'after-delivery',
      'prune',
    ]);
    expect(JOBS.filter((j) => j.oneWorker).map((j) => j.name)).toEqual([
      'delay-scan',
      'review-invitations',
      'checkins',
      'held-reviews',
      'warranty-reminders',
      'after-delivery',
      'prune',
    ]);
    for (const j of JOBS) {
      expect(j.does.length).toBeGreaterThan(10);
      expect(j.cadence).toMatch(/second|hour|ms/);
    }
  });

  it('starts every job of the list, or only those named, and refuses a name it does not know', async () => {
    const all = startJobs({ autoStart: false });
    expect(all.jobs.map((j) => j.name)).toEqual(JOBS.map((j) => j.name));
    await all.stop();
    const some = startJobs({ autoStart: false, only: ['prune', 'delay-scan'] });
    expect(some.jobs.map((j) => j.name)).toEqual(['delay-scan', 'prune']);
    await some.stop();
    expect(() => startJobs({ autoStart: false, only: ['prune', 'nightly-mail'] })).toThrow('No such job: nightly-mail');
  });
});

describe('a one-worker job', () => {
  it('runs on one worker at a time; the other takes over when the lease is given back or runs out', async () => {
    const clock = manualClock('2026-11-20T10:00:00Z');
    const a = startJobs({ autoStart: false, now: clock.now, only: ['prune'] });
    const b = startJobs({ autoStart: false, now: clock.now, only: ['prune'] });
    await oldCounters('a', 3, clock.now());
    clock.advance(3 * DAY);

    expect(await a.job('prune').runOnce()).toBe(3);
    await oldCounters('b', 2, clock.now() - 3 * DAY);
    // a holds the lease: b's round does nothing, however often it comes.
    expect(await b.job('prune').runOnce()).toBe(0);
    expect(await b.job('prune').runOnce()).toBe(0);
    expect(await counters()).toBe(2);
    // a renews its lease on each round. (The lease runs on the database's clock, which the test
    // moves with passLeaseTime; the job's clock only says what is old enough to prune.)
    clock.advance(HOUR);
    await passLeaseTime(HOUR);
    expect(await a.job('prune').runOnce()).toBe(2);

    // a dies without a word: once its lease runs out (two periods), b takes the job over, however
    // far b's own clock has run ahead meanwhile.
    await oldCounters('c', 1, clock.now() - 3 * DAY);
    clock.advance(DAY);
    await passLeaseTime(HOUR);
    expect(await b.job('prune').runOnce()).toBe(0);
    await passLeaseTime(HOUR + 1);
    expect(await b.job('prune').runOnce()).toBe(1);
    expect(await a.job('prune').runOnce()).toBe(0);

    // b stops cleanly: the lease is given back and a has it at once.
    await oldCounters('d', 1, clock.now() - 3 * DAY);
    await b.stop();
    expect(await a.job('prune').runOnce()).toBe(1);
    await a.stop();
  });
});

describe('prune', () => {
  it('forgets rate-limit windows that began over two days ago and keeps the rest', async () => {
    const clock = manualClock('2026-11-20T10:00:00Z');
    const now = clock.now();
    await oldCounters('old', 4, now - 2 * DAY - 1);
    await oldCounters('recent', 3, now - 2 * DAY + 60_000);
    await oldCounters('today', 2, now - HOUR);
    const jobs = startJobs({ autoStart: false, now: clock.now, only: ['prune'] });
    expect(await jobs.job('prune').runOnce()).toBe(4);
    const keys = (await db().select({ key: schema.rateLimits.key }).from(schema.rateLimits)).map((r) => r.key.split(':')[0]);
    expect(keys.sort()).toEqual(['recent', 'recent', 'recent', 'today', 'today']);
    await jobs.stop();
    // A second round (another worker, the lease cleared) finds nothing more to forget.
    await transaction(async (tx) => {
      await tx.delete(schema.jobLeases);
    });
    const again = startJobs({ autoStart: false, now: clock.now, only: ['prune'] });
    expect(await again.job('prune').runOnce()).toBe(0);
    expect(await counters()).toBe(5);
    await again.stop();
  });
});
