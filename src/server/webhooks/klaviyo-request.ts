// An event as Klaviyo's Events API takes it ("Create Event", POST /api/events, revision 2025-01-15):
// a JSON:API body naming the metric ("Waypost Parcel Delivered"…), the profile by email, the time,
// `unique_id` = our event id (Klaviyo dedupes on it, so a retry never makes a second event) and
// properties a flow can use: the tracking link, the estimate, the items with their images.
import { eventType } from '../events/catalogue.ts';

const KLAVIYO_REVISION = '2025-01-15';

/** The headers and body of the Create Event call for one delivery's stored body. */
export function klaviyoRequest(apiKey: string, eventId: string, storedBody: string): { headers: Record<string, string>; body: string } {
  const { type, timestamp, data } = JSON.parse(storedBody) as { type: string; timestamp: string; data: Record<string, unknown> };
  const shipment = (data.shipment ?? null) as Record<string, unknown> | null;
  const properties: Record<string, unknown> = {
    waypost_type: type,
    store: data.store,
    order_number: data.orderNumber,
    tracking_url: data.trackingUrl,
    ...(shipment
      ? {
          carrier: shipment.carrier,
          tracking_code: shipment.trackingCode,
          status: shipment.status,
          estimated_delivery: shipment.estimatedDelivery,
          last_scan_at: shipment.lastScanAt,
        }
      : {}),
    ...(data.items ? { items: data.items } : {}),
    ...(data.notice ? { notice: data.notice } : {}),
    ...(data.return ? { return: data.return } : {}),
    ...(data.review ? { review: data.review } : {}),
    ...(data.case ? { case: data.case } : {}),
  };
  const body = {
    data: {
      type: 'event',
      attributes: {
        properties,
        time: timestamp,
        unique_id: eventId,
        metric: { data: { type: 'metric', attributes: { name: eventType(type)?.metric ?? `Waypost ${type}` } } },
        profile: { data: { type: 'profile', attributes: { email: data.email } } },
      },
    },
  };
  return {
    headers: {
      authorization: `Klaviyo-API-Key ${apiKey}`,
      revision: KLAVIYO_REVISION,
      accept: 'application/vnd.api+json',
      'content-type': 'application/vnd.api+json',
    },
    body: JSON.stringify(body),
  };
}

/** When a 429's Retry-After (seconds or an HTTP date) allows the next try; a minute when it says nothing usable. */
export function retryAfterAt(header: string | string[] | undefined, now: number): number {
  const v = Array.isArray(header) ? header[0] : header;
  if (v && /^\d+$/.test(v.trim())) return now + Math.min(Number(v.trim()), 3600) * 1000;
  const at = v ? Date.parse(v) : NaN;
  return Number.isFinite(at) && at > now ? Math.min(at, now + 3_600_000) : now + 60_000;
}
