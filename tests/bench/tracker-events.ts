// Signed EasyPost `tracker.updated` events for the benchmark's parcels, shaped like
// tests/fixtures/easypost/event-tracker-updated.json and signed as EasyPost signs them.
import { signBody, toEasyPostJson } from '../../src/emulator/index.ts';

/** The demo store's webhook secret (src/server/demo/seed-demo.ts). */
const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';

/** One parcel the benchmark created through the merchant API. */
export interface BenchParcel {
  number: string;
  trackingCode: string;
  trackerId: string;
  /** Path of the order page, e.g. /demo/t/<token>. */
  pagePath: string;
}

/** An event's exact bytes and the headers EasyPost would send with them. */
export interface SignedEvent {
  body: string;
  headers: Record<string, string>;
  /** The message of the event's newest scan, as the order page shows it. */
  message: string;
  status: string;
}

const MINUTE = 60_000;
const STATUS_DETAIL: Record<string, string> = { out_for_delivery: 'out_for_delivery', delivered: 'arrived_at_destination' };

/** The status a parcel's last scan of the run gives it. */
export type FinalStatus = 'out_for_delivery' | 'delivered';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The message of scan k of parcel p (unique per parcel and scan). */
function scanMessage(p: BenchParcel, k: number): string {
  return k === 0 ? 'Shipment information sent to FedEx' : `Processed at sorting hub ${p.trackingCode} scan ${k}`;
}

function detail(p: BenchParcel, k: number, status: string, base: number) {
  return {
    object: 'TrackingDetail',
    message: scanMessage(p, k),
    description: scanMessage(p, k),
    status,
    status_detail: k === 0 ? 'label_created' : (STATUS_DETAIL[status] ?? 'arrived_at_facility'),
    datetime: iso(base + k * MINUTE),
    source: 'FedEx',
    carrier_code: k === 0 ? 'OC' : 'AR',
    tracking_location: { object: 'TrackingLocation', city: 'EDISON', state: 'NJ', country: 'US', zip: '08817' },
  };
}

// Like EasyPost, an event repeats earlier scans (here the label and the two before k, already
// stored) next to the new one; `final` makes scan k the parcel's last: "out for delivery" or "delivered".
/** The signed tracker.updated event for parcel p whose newest scan is k (k = 0: the label). */
export function signedTrackerEvent(p: BenchParcel, k: number, base: number, final: FinalStatus | false = false): SignedEvent {
  const status = k === 0 ? 'pre_transit' : final || 'in_transit';
  const ks = [...new Set([0, k - 2, k - 1, k].filter((i) => i >= 0))];
  const details = ks.map((i) => detail(p, i, i === k ? status : i === 0 ? 'pre_transit' : 'in_transit', base));
  const updatedAt = iso(base + k * MINUTE + 1000);
  const event = {
    description: 'tracker.updated',
    mode: 'production',
    previous_attributes: { status: 'in_transit' },
    created_at: updatedAt,
    pending_urls: ['https://example.com/easypost'],
    completed_urls: [],
    updated_at: updatedAt,
    id: `evt_${p.trackerId}_${k}`,
    user_id: 'user_bench',
    status: 'pending',
    object: 'Event',
    result: {
      id: p.trackerId,
      object: 'Tracker',
      mode: 'production',
      tracking_code: p.trackingCode,
      status,
      status_detail: details.at(-1)!.status_detail,
      created_at: iso(base),
      updated_at: updatedAt,
      signed_by: null,
      weight: 614.4,
      est_delivery_date: iso(base + 3 * 24 * 60 * MINUTE),
      shipment_id: null,
      carrier: 'FedEx',
      tracking_details: details,
      finalized: false,
      is_return: false,
      public_url: `https://track.easypost.com/${p.trackerId}`,
    },
  };
  const body = toEasyPostJson(event);
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, DEMO_WEBHOOK_SECRET) },
    message: scanMessage(p, k),
    status,
  };
}
