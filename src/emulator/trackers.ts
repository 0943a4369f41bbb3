// Tracker storage and movement. Each tracker carries a fixed plan; advancing applies every step whose
// scenario time has come, so any read or tick shows exactly what the clock implies.
import type { DetailSpec, EstSpec, Place, Plan, ScenarioStep, TrackerStatus } from './types.ts';
import { frameTime, scenarioElapsed } from './clock.ts';
import { newId } from './ids.ts';
import { carrierName } from './carriers.ts';
import { choosePlan, scriptToSteps } from './scenarios.ts';

export interface AppliedDetail extends DetailSpec {
  at: number; // clock-frame ms of the scan
}

export interface TrackerRecord {
  id: string;
  seq: number; // creation order, for lists and before_id/after_id
  apiKey: string;
  mode: 'test' | 'production';
  trackingCode: string;
  carrier: string;
  createdAt: number;
  updatedAt: number;
  plan: Plan;
  applied: number; // how many plan steps have happened
  details: AppliedDetail[];
  status: TrackerStatus;
  statusDetail: string;
  est: EstSpec;
  signedBy: string | null;
  shipmentId: string | null;
  isReturn: boolean;
  fees: Array<Record<string, unknown>>;
}

export interface TrackerChange {
  kind: 'created' | 'updated';
  tracker: TrackerRecord;
  previousStatus: TrackerStatus;
}

export interface CreateTrackerInput {
  trackingCode: string;
  carrier?: string;
  shipmentId?: string;
  isReturn?: boolean;
  label?: { origin: Place | null; destination: Place | null };
}

export interface TrackerStoreOptions {
  clock: () => number;
  speed: number;
  testMode: boolean;
  onChange: (change: TrackerChange) => void;
}

/** All trackers of all API keys; every lookup is by key, so keys never see each other's data. */
export class TrackerStore {
  private readonly opts: TrackerStoreOptions;
  private readonly byId = new Map<string, TrackerRecord>();
  private readonly byCode = new Map<string, string>(); // key|code|carrier → id, for EasyPost's dedupe
  private readonly scripts = new Map<string, ScenarioStep[]>();
  private seq = 0;

  constructor(opts: TrackerStoreOptions) {
    this.opts = opts;
  }

  /** Creates a tracker, or returns the existing one for the same key, code and carrier (EasyPost dedupes). */
  create(apiKey: string, input: CreateTrackerInput): { tracker: TrackerRecord; created: boolean } {
    const carrier = carrierName(input.carrier, input.trackingCode);
    const dedupeKey = `${apiKey}\n${input.trackingCode}\n${carrier.toUpperCase()}`;
    const existing = this.byCode.get(dedupeKey);
    if (existing && !input.shipmentId) {
      const tracker = this.byId.get(existing)!;
      this.advance(tracker);
      return { tracker, created: false };
    }
    const now = this.opts.clock();
    const { testMode } = this.opts;
    const script = this.scripts.get(input.trackingCode);
    const plan = choosePlan({ trackingCode: input.trackingCode, carrier, testMode, script, label: input.label });
    const tracker: TrackerRecord = {
      id: newId('trk'),
      seq: ++this.seq,
      apiKey,
      mode: testMode ? 'test' : 'production',
      trackingCode: input.trackingCode,
      carrier,
      createdAt: now,
      updatedAt: now,
      plan,
      applied: 0,
      details: [],
      status: 'unknown',
      statusDetail: 'unknown',
      est: plan.est,
      signedBy: null,
      shipmentId: input.shipmentId ?? null,
      isReturn: input.isReturn ?? false,
      fees: trackerFees(plan, testMode, Boolean(input.shipmentId)),
    };
    this.byId.set(tracker.id, tracker);
    this.byCode.set(dedupeKey, tracker.id);
    this.applyDue(tracker); // steps at time 0 are part of the created tracker, not an update
    this.opts.onChange({ kind: 'created', tracker, previousStatus: 'unknown' });
    return { tracker, created: true };
  }

  /** The tracker with this id if it belongs to this key, advanced to now. */
  get(apiKey: string, id: string): TrackerRecord | undefined {
    const tracker = this.byId.get(id);
    if (!tracker || tracker.apiKey !== apiKey) return undefined;
    this.advance(tracker);
    return tracker;
  }

  /** Any key's tracker by id, advanced to now (for the public tracking page, which has no key). */
  peek(id: string): TrackerRecord | undefined {
    const tracker = this.byId.get(id);
    if (tracker) this.advance(tracker);
    return tracker;
  }

  /** This key's trackers, newest first, advanced to now. */
  list(apiKey: string): TrackerRecord[] {
    const mine = [...this.byId.values()].filter((t) => t.apiKey === apiKey).sort((a, b) => b.seq - a.seq);
    for (const t of mine) this.advance(t);
    return mine;
  }

  /** Advances every tracker of every key (the tick). */
  advanceAll(): void {
    for (const t of this.byId.values()) this.advance(t);
  }

  /** Programs a tracking code's future: used when it is created, and replaces the rest of existing trackers' plans. */
  script(trackingCode: string, steps: ScenarioStep[]): void {
    this.scripts.set(trackingCode, steps);
    for (const t of this.byId.values()) {
      if (t.trackingCode !== trackingCode) continue;
      t.plan = { ...t.plan, kind: 'scripted', steps: [...t.plan.steps.slice(0, t.applied), ...scriptToSteps(steps)] };
    }
  }

  /** The estimate as an absolute time, or null. */
  estimateMs(t: TrackerRecord): number | null {
    const est = t.est;
    if (est === null) return null;
    if (est === 'updated_at') return t.updatedAt;
    if ('iso' in est) return Date.parse(est.iso);
    return frameTime(t.createdAt, est.offsetMs, this.opts.speed);
  }

  /** Applies due steps and reports a `tracker.updated` change when anything happened. */
  advance(t: TrackerRecord): void {
    const previousStatus = t.status;
    if (this.applyDue(t)) this.opts.onChange({ kind: 'updated', tracker: t, previousStatus });
  }

  private applyDue(t: TrackerRecord): boolean {
    const elapsed = scenarioElapsed(t.createdAt, this.opts.clock(), this.opts.speed);
    let changed = false;
    for (let step = t.plan.steps[t.applied]; step && step.atMs <= elapsed; step = t.plan.steps[t.applied]) {
      const at = Math.max(t.createdAt, frameTime(t.createdAt, step.atMs, this.opts.speed));
      for (const d of step.details) t.details.push({ ...d, at });
      const last = step.details.at(-1);
      if (last) {
        t.status = last.status;
        t.statusDetail = last.statusDetail ?? 'unknown';
      }
      if (step.est !== undefined) t.est = step.est;
      if (step.signedBy !== undefined) t.signedBy = step.signedBy;
      t.updatedAt = Math.max(t.updatedAt, at);
      t.applied += 1;
      changed = true;
    }
    return changed;
  }
}

// EasyPost bills standalone trackers (TrackerFee); label trackers come with the postage. The invalid
// test code tracker shows a 0.00000 fee (tracker-error-invalid-test-code.json).
function trackerFees(plan: Plan, testMode: boolean, fromLabel: boolean): Array<Record<string, unknown>> {
  if (fromLabel) return [];
  const free = testMode || plan.kind === 'error';
  return [{ object: 'Fee', type: 'TrackerFee', amount: free ? '0.00000' : '0.02000', charged: !free, refunded: false }];
}
