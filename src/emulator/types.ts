// Shared types of the EasyPost emulator. Only types live here so every other file can import them freely.

/** EasyPost's tracker statuses (see @easypost/api types/Tracker/TrackerStatus.d.ts). */
export type TrackerStatus =
  | 'unknown'
  | 'pre_transit'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'available_for_pickup'
  | 'return_to_sender'
  | 'failure'
  | 'cancelled'
  | 'error';

/** One programmed tracking update, used by `Emulator.script`. */
export interface ScenarioStep {
  afterMs: number; // scenario time after the tracker's creation
  status: TrackerStatus;
  statusDetail: string; // EasyPost vocabulary, e.g. 'arrived_at_facility'
  message: string;
  city?: string;
  state?: string;
  zip?: string;
  estDeliveryDate?: string | null; // ISO; null clears it; absent keeps the current one
  signedBy?: string;
}

/** A programmed failure for the next `times` requests that match. */
export interface Fault {
  path?: RegExp | string; // tested against the request path (string: substring); absent matches all
  method?: string; // e.g. 'POST'; absent matches all
  status?: number; // answer with this status and an EasyPost-shaped error body
  code?: string; // overrides the error code of the body
  message?: string; // overrides the error message of the body
  body?: string; // raw body instead of EasyPost's JSON (e.g. a proxy's HTML page)
  delayMs?: number; // wait this long first (alone: then answer normally; long: a hang)
  drop?: boolean; // destroy the connection without answering (a network error)
  times?: number; // how many requests it applies to (default 1)
}

export interface EmulatorOptions {
  port?: number; // 0 = random free port on 127.0.0.1
  clock?: () => number; // epoch ms; default Date.now
  speed?: number; // scenario time runs this many times faster than the clock (default 1)
  testMode?: boolean; // only EasyPost's test codes work; others give a status "error" tracker
  autoTick?: boolean; // advance trackers on an internal ~250 ms timer (default true)
  webhookRetryDelaysMs?: number[]; // waits between delivery attempts (default [1000, 5000, 15000])
  webhookTimeoutMs?: number; // per delivery attempt (default 10000)
}

export interface CallRecord {
  method: string;
  path: string; // without the query string
  apiKey: string; // '' when none was sent
  query: string; // the raw query string ('' when none)
  status?: number; // filled in once answered
}

export interface DeliveryRecord {
  url: string;
  eventId: string;
  description: string; // e.g. 'tracker.updated'
  attempt: number; // 1 for the first try
  statusCode: number | null; // null when no HTTP answer (refused, timeout)
  error?: string;
}

export interface Emulator {
  url: string; // http://127.0.0.1:PORT
  baseUrl: string; // http://127.0.0.1:PORT/v2/ (what @easypost/api's `baseUrl` needs)
  tick(): Promise<void>;
  registerWebhook(apiKey: string, url: string, secret: string): void;
  script(trackingCode: string, steps: ScenarioStep[]): void;
  inject(fault: Fault): void;
  calls: CallRecord[];
  deliveries: DeliveryRecord[];
  drainWebhooks(): Promise<void>; // resolves when no delivery is queued, running or waiting to retry
  close(): Promise<void>;
}

/** A place as EasyPost's TrackingLocation has it. */
export interface Place {
  city: string | null;
  state: string | null;
  zip: string | null;
  country: string | null;
}

/** A tracking detail a plan will add; `cannedOffsetMin` marks EasyPost's backdated test-mode details. */
export interface DetailSpec {
  status: TrackerStatus;
  statusDetail: string | null;
  message: string;
  description: string | null;
  place: Place;
  carrierCode: string | null;
  source?: string; // default: the carrier
  cannedOffsetMin?: number; // minutes after (updated_at - 30 days)
}

/** An estimated delivery: a scenario offset, a fixed ISO date, or "same as updated_at" (test mode). */
export type EstSpec = { offsetMs: number } | { iso: string } | 'updated_at' | null;

export interface PlanStep {
  atMs: number; // scenario time after creation
  details: DetailSpec[];
  est?: EstSpec; // absent keeps the current estimate
  signedBy?: string | null;
}

/** Everything a tracker will ever do, fixed when it is created (or re-scripted). */
export interface Plan {
  kind: 'canned' | 'journey' | 'scripted' | 'error';
  carrier: string;
  service: string | null;
  origin: Place | null;
  destination: Place | null;
  originLabel: string | null; // carrier_detail.origin_location
  destinationLabel: string | null;
  weight: number | null;
  est: EstSpec;
  steps: PlanStep[];
}
