// Tracker JSON exactly as EasyPost shapes it. The recordings differ by endpoint: a GET (and list) answer has
// `fees` but no `finalized`/`is_return`; a create answer and a webhook's `result` have `finalized` and
// `is_return` but no `fees` (see the fixtures README).
import type { Place } from './types.ts';
import type { AppliedDetail, TrackerRecord } from './trackers.ts';
import { DAY, isoSeconds, MINUTE } from './clock.ts';

export type TrackerView = 'get' | 'create' | 'event';

/** TrackingLocation JSON. */
function locationJson(p: Place): Record<string, unknown> {
  return { object: 'TrackingLocation', city: p.city, state: p.state, country: p.country, zip: p.zip };
}

// Test-mode details are canned and re-stamped at every update, backdated 30 days from updated_at.
function detailTime(t: TrackerRecord, d: AppliedDetail): number {
  return d.cannedOffsetMin === undefined ? d.at : t.updatedAt - 30 * DAY + d.cannedOffsetMin * MINUTE;
}

function detailJson(t: TrackerRecord, d: AppliedDetail, view: TrackerView): Record<string, unknown> {
  const json: Record<string, unknown> = {
    object: 'TrackingDetail',
    message: d.message,
    description: d.description,
    status: d.status,
    status_detail: d.statusDetail,
    datetime: isoSeconds(detailTime(t, d)),
    source: d.source ?? t.carrier,
    carrier_code: d.carrierCode,
    tracking_location: locationJson(d.place),
  };
  if (view === 'create') json.est_delivery_date = null; // only the create recording has it
  return json;
}

function carrierDetailJson(t: TrackerRecord, estMs: number | null): Record<string, unknown> | null {
  const plan = t.plan;
  if (plan.kind === 'error') return null;
  const firstTransit = t.details.find((d) => d.status === 'in_transit');
  // The recordings show the label's city before the first scan, then the first in-transit scan's place.
  const originPlace = firstTransit?.place ?? plan.origin ?? t.details.find((d) => d.place.city)?.place ?? null;
  const delivered = t.details.find((d) => d.status === 'delivered');
  const attempt = t.details.find((d) => d.status === 'delivered' || d.status === 'failure' || d.statusDetail === 'delivery_exception');
  return {
    object: 'CarrierDetail',
    service: plan.service,
    container_type: null,
    // Test mode leaves the local date empty (recordings); real carriers give the estimate's date.
    est_delivery_date_local: estMs !== null && plan.kind === 'journey' ? isoSeconds(estMs).slice(0, 10) : null,
    est_delivery_time_local: null,
    origin_location: plan.originLabel,
    origin_tracking_location: originPlace ? locationJson(originPlace) : null,
    destination_location: plan.destinationLabel,
    destination_tracking_location: delivered ? locationJson(delivered.place) : null,
    guaranteed_delivery_date: null,
    alternate_identifier: null,
    initial_delivery_attempt: attempt ? isoSeconds(detailTime(t, attempt)) : null,
  };
}

/** A tracker as EasyPost's JSON for the given endpoint; `estMs` comes from TrackerStore.estimateMs. */
export function trackerJson(t: TrackerRecord, view: TrackerView, estMs: number | null, publicBase: string): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: t.id,
    object: 'Tracker',
    mode: t.mode,
    tracking_code: t.trackingCode,
    status: t.status,
    status_detail: t.statusDetail,
    created_at: isoSeconds(t.createdAt),
    updated_at: isoSeconds(t.updatedAt),
    signed_by: t.signedBy,
    weight: t.plan.weight,
    est_delivery_date: estMs === null ? null : isoSeconds(estMs),
    shipment_id: t.shipmentId,
    carrier: t.carrier,
    tracking_details: t.details.map((d) => detailJson(t, d, view)),
  };
  if (view === 'get') json.fees = t.fees;
  json.carrier_detail = carrierDetailJson(t, estMs);
  if (view !== 'get') {
    json.finalized = t.applied >= t.plan.steps.length; // nothing more will happen to it
    json.is_return = t.isReturn;
  }
  json.public_url = publicTrackingUrl(publicBase, t.id);
  return json;
}

/** public_url: EasyPost's is track.easypost.com/<base64 "v1:trk_…">; ours points at the emulator's own page. */
function publicTrackingUrl(publicBase: string, trackerId: string): string {
  return `${publicBase}/track/${Buffer.from(`v1:${trackerId}`).toString('base64url')}`;
}

/** The tracker id inside a public tracking token, or null. */
export function trackerIdFromToken(token: string): string | null {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  return text.startsWith('v1:trk_') ? text.slice(3) : null;
}
