// Webhook throughput: signed tracker.updated events, each with a new scan, posted to the running
// portal with a fixed number in flight; then the API must show every parcel's last status.
import type { Client } from './client.ts';
import { parcelStatus } from './bench-orders.ts';
import { signedTrackerEvent, type BenchParcel, type FinalStatus, type SignedEvent } from './tracker-events.ts';
import { percentile } from './stats.ts';

/** What benchWebhooks measured. */
export interface WebhookFigures {
  events: number;
  /** Scans per parcel in the timed part (events = rounds × parcels). */
  rounds: number;
  seconds: number;
  perSecond: number;
  non2xx: number;
  /** 2xx answers whose outcome was not "applied" (a no-op or an unknown parcel). */
  notApplied: number;
  p50Ms: number;
  p99Ms: number;
  parcels: number;
  /** Parcels the last event delivered. */
  delivered: number;
  /** Parcels whose status, read back through the API, is the last event's (delivered or out for delivery). */
  verified: number;
}

/** Posts events to the demo store's webhook, `concurrency` in flight; returns [non-2xx, not applied, latencies]. */
async function postEvents(client: Client, events: SignedEvent[], concurrency: number): Promise<[number, number, number[]]> {
  let next = 0;
  let non2xx = 0;
  let notApplied = 0;
  const latencies: number[] = [];
  const worker = async () => {
    for (let i = next++; i < events.length; i = next++) {
      const e = events[i]!;
      const t0 = performance.now();
      const r = await client.request('POST', '/api/webhooks/easypost/demo', e.body, e.headers);
      latencies.push(performance.now() - t0);
      if (r.status < 200 || r.status > 299) non2xx++;
      else if (!r.body.includes('"applied"')) notApplied++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return [non2xx, notApplied, latencies];
}

// Scan 0 of every parcel goes first (warm-up, untimed; its rate sizes the timed run to about
// targetSeconds, unless `rounds` fixes it: the same count as an earlier run), then rounds of one new
// scan per parcel (timed). The last scan delivers nine parcels in ten, so the timed run includes the
// delivery rollup's once-per-delivery work (analytics/count-delivered-parcel.ts) as a real day's
// ingest does; the tenth stays out for delivery.
/** How parcel i of the run ends. */
const finalStatus = (i: number): FinalStatus => (i % 10 === 9 ? 'out_for_delivery' : 'delivered');

/** Measures events applied per second over HTTP, then reads every parcel's status back through the API. */
export async function benchWebhooks(
  client: Client,
  key: string,
  parcels: BenchParcel[],
  targetSeconds = 8,
  concurrency = 32,
  fixedRounds?: number,
): Promise<WebhookFigures> {
  const base = Date.now() - 36 * 3_600_000;
  const w0 = performance.now();
  await postEvents(
    client,
    parcels.map((p) => signedTrackerEvent(p, 0, base)),
    concurrency,
  );
  const warmRate = parcels.length / ((performance.now() - w0) / 1000);
  const rounds = fixedRounds ?? Math.max(5, Math.min(40, Math.round((targetSeconds * warmRate) / parcels.length)));
  const events: SignedEvent[] = [];
  for (let k = 1; k <= rounds; k++) parcels.forEach((p, i) => events.push(signedTrackerEvent(p, k, base, k === rounds && finalStatus(i))));

  const t0 = performance.now();
  const [non2xx, notApplied, latencies] = await postEvents(client, events, concurrency);
  const seconds = (performance.now() - t0) / 1000;

  let verified = 0;
  for (const [i, p] of parcels.entries()) if ((await parcelStatus(client, key, p.number)) === finalStatus(i)) verified++;
  return {
    events: events.length,
    rounds,
    seconds,
    perSecond: events.length / seconds,
    non2xx,
    notApplied,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    parcels: parcels.length,
    delivered: parcels.filter((_, i) => finalStatus(i) === 'delivered').length,
    verified,
  };
}
