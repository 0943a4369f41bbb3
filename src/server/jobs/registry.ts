// Every background job Waypost runs, in one list: what it does, how often, and whether it must run
// on one worker at a time. The server (unless WAYPOST_WORKER=0) and `npm run waypost -- worker`
// both start this list, so a job is added here or nowhere. Jobs that several workers may run side
// by side keep each other apart with their own row leases (parcels, labels, outbox rows); a
// one-worker job runs its round only while this worker holds the job's lease.
import { hostname } from 'node:os';
import { randomToken } from '../ids.ts';
import { returnMoved } from '../changes/return-moved.ts';
import { scanLifecycle } from '../lifecycle/scan-lifecycle.ts';
import { log } from '../log.ts';
import { pruneMessageLinks } from '../messages/prune-message-links.ts';
import { startEmailSender } from '../messages/run-email-sender.ts';
import { pruneOutbox } from '../notifications/prune-outbox.ts';
import { startPushSender } from '../notifications/run-push-sender.ts';
import { scanForDelays } from '../changes/deadlines-passed.ts';
import { pruneRateLimits } from '../ratelimit/prune-rate-limits.ts';
import { pruneStoredPages } from '../pagecache/page-store.ts';
import { startReturnsWorker } from '../returns/run-returns-worker.ts';
import { publishHeldReviews } from '../reviews/publish-held-reviews.ts';
import { scanReviewInvitations } from '../reviews/scan-review-invitations.ts';
import { scanCheckins } from '../checkins/scan-checkins.ts';
import { scanWarrantyReminders } from '../registrations/scan-warranty-reminders.ts';
import { startWebhookSender } from '../webhooks/run-webhook-sender.ts';
import { startSyncWorker } from '../sync/run-sync-worker.ts';
import { holdJobLease, releaseJobLease } from './job-lease.ts';
import { repeatRounds } from '../repeat-rounds.ts';

export interface JobOptions {
  now: () => number;
  /** false: no loop; the caller drives runOnce() (tests). */
  autoStart: boolean;
}

/** One job started in this process. */
interface StartedJob {
  name: string;
  owner: string;
  /** One round now; resolves to how much work it handled (0 when another worker holds the lease). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export interface JobDefinition {
  name: string;
  /** What one round does, in a line. */
  does: string;
  /** How often it runs, in words (README and `waypost jobs` show it). */
  cadence: string;
  /** True: at most one worker runs it at a time (a lease in job_leases). */
  oneWorker: boolean;
  start(opts: JobOptions): StartedJob;
}

const SECOND = 1_000;
const HOUR = 3_600_000;

export const JOBS: readonly JobDefinition[] = [
  {
    name: 'carrier-sync',
    does: 'asks EasyPost for the parcels due a reconciling check and applies what it says',
    cadence: 'continuously while parcels are due, else every second',
    oneWorker: false,
    start: (o) => named('carrier-sync', startSyncWorker(o)),
  },
  {
    name: 'return-labels',
    does: 'buys the return labels that are due and voids unused ones near their refund deadline',
    cadence: 'every 2 seconds',
    oneWorker: false,
    start: (o) => named('return-labels', startReturnsWorker({ ...o, moved: returnMoved })),
  },
  {
    name: 'push',
    does: 'sends the queued web-push notifications at WAYPOST_PUSH_RATE a second',
    cadence: 'continuously while messages are queued, else every 250 ms',
    oneWorker: false,
    start: (o) => named('push', startPushSender(o)),
  },
  {
    name: 'webhooks',
    does: 'delivers the stores’ events to their webhook endpoints and Klaviyo, signed, retrying with backoff for about three days',
    cadence: 'continuously while deliveries are due, else every 250 ms',
    oneWorker: false,
    start: (o) => named('webhooks', startWebhookSender(o)),
  },
  {
    name: 'email',
    does: 'renders the queued emails and hands them to the SMTP server (recorded as not sent without WAYPOST_SMTP_URL)',
    cadence: 'continuously while emails are due, else every 500 ms',
    oneWorker: false,
    start: (o) => named('email', startEmailSender(o)),
  },
  oneWorkerJob({
    name: 'delay-scan',
    does: 'opens late, stalled, not-scanned and delayed-dispatch notices for the parcels past their deadlines',
    cadence: 'every 30 seconds',
    everyMs: 30 * SECOND,
    round: async (now) => {
      const r = await scanForDelays(now);
      const opened = r.late + r.stalled + r.notScanned + r.delayedDispatch;
      if (opened) log.info(r, 'delay scan opened notices');
      return opened;
    },
  }),
  oneWorkerJob({
    name: 'review-invitations',
    does: 'invites a review of the items whose review time has come (after delivery, in the order’s time zone)',
    cadence: 'every 30 seconds',
    everyMs: 30 * SECOND,
    round: async (now) => {
      const r = await scanReviewInvitations(now);
      if (r.orders) log.info(r, 'review invitations');
      return r.orders;
    },
  }),
  oneWorkerJob({
    name: 'checkins',
    does: 'asks “Did everything arrive as it should?” of the parcels whose check-in days after delivery have passed, once per parcel',
    cadence: 'every 30 seconds',
    everyMs: 30 * SECOND,
    round: async (now) => {
      const r = await scanCheckins(now);
      if (r.asked + r.skipped) log.info(r, 'check-ins');
      return r.asked;
    },
  }),
  oneWorkerJob({
    name: 'held-reviews',
    does: 'publishes the reviews whose hold has ended',
    cadence: 'every 30 seconds',
    everyMs: 30 * SECOND,
    round: async (now) => {
      const published = await publishHeldReviews(now);
      if (published) log.info({ published }, 'held reviews published');
      return published;
    },
  }),
  oneWorkerJob({
    name: 'warranty-reminders',
    does: 'reminds shoppers who asked for it, once per registration, a month before a registered product’s warranty ends',
    cadence: 'every 60 seconds',
    everyMs: 60 * SECOND,
    round: async (now) => {
      const reminded = await scanWarrantyReminders(now);
      if (reminded) log.info({ reminded }, 'warranty reminders');
      return reminded;
    },
  }),
  oneWorkerJob({
    name: 'after-delivery',
    does: 'sends the follow-ups suggesting related products and the replenishment reminders whose day has come (marketing: with consent only)',
    cadence: 'every 900 seconds (a quarter of an hour)',
    everyMs: 900 * SECOND,
    round: async (now) => {
      const r = await scanLifecycle(now);
      if (r.followUps + r.replenishments) log.info(r, 'after-delivery messages');
      return r.followUps + r.replenishments;
    },
  }),
  oneWorkerJob({
    name: 'prune',
    does: 'deletes finished push messages after a month, devices after half a year, email link targets after 400 days (their clicks stay counted), rate-limit counters after two days, stored pages past their local midnight',
    cadence: 'hourly',
    everyMs: HOUR,
    round: async (now) => {
      const outbox = await pruneOutbox(now);
      const rateLimits = await pruneRateLimits(now);
      const pages = await pruneStoredPages(now);
      const links = await pruneMessageLinks(now);
      const done = outbox.rows + outbox.subscriptions + rateLimits + pages + links;
      if (done) log.info({ ...outbox, rateLimits, pages, links }, 'pruned');
      return done;
    },
  }),
];

export interface RunningJobs {
  jobs: readonly StartedJob[];
  /** The started job of that name (tests drive rounds by name). */
  job(name: string): StartedJob;
  stop(): Promise<void>;
}

/** Starts every job of the list in this process (or only those named). */
export function startJobs(opts: Partial<JobOptions> & { only?: readonly string[] } = {}): RunningJobs {
  const o: JobOptions = { now: opts.now ?? Date.now, autoStart: opts.autoStart ?? true };
  const unknown = (opts.only ?? []).filter((n) => !JOBS.some((j) => j.name === n));
  if (unknown.length) throw new Error(`No such job: ${unknown.join(', ')}`);
  const jobs = JOBS.filter((j) => !opts.only || opts.only.includes(j.name)).map((j) => j.start(o));
  return {
    jobs,
    job: (name) => {
      const j = jobs.find((x) => x.name === name);
      if (!j) throw new Error(`Job ${name} is not running here`);
      return j;
    },
    stop: async () => {
      await Promise.all(jobs.map((j) => j.stop()));
    },
  };
}

function named(name: string, w: { owner: string; runOnce(): Promise<number>; stop(): Promise<void> }): StartedJob {
  return { name, owner: w.owner, runOnce: w.runOnce, stop: w.stop };
}

/**
 * A job one worker runs at a time: each round first takes (or renews) the job's lease, which lasts
 * two rounds and at least a minute, so a worker that dies hands the job on within that time.
 */
function oneWorkerJob(def: {
  name: string;
  does: string;
  cadence: string;
  everyMs: number;
  round: (now: number) => Promise<number>;
}): JobDefinition {
  const leaseMs = Math.max(2 * def.everyMs, 60 * SECOND);
  return {
    name: def.name,
    does: def.does,
    cadence: def.cadence,
    oneWorker: true,
    start: (o) => {
      const owner = `${hostname()}:${process.pid}:${def.name}:${randomToken(6)}`;
      const runOnce = async () => ((await holdJobLease(def.name, owner, leaseMs)) ? def.round(o.now()) : 0);
      // The round's count says only what it did; the next round comes a period later either way.
      const rounds = repeatRounds({ name: def.name, round: runOnce, idleMs: def.everyMs, busyMs: def.everyMs, autoStart: o.autoStart });
      return {
        name: def.name,
        owner,
        runOnce,
        stop: async () => {
          await rounds.stop();
          await releaseJobLease(def.name, owner);
        },
      };
    },
  };
}
