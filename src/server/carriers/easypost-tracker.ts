// EasyPost's Tracker JSON, validated at the edge and turned into our TrackerSnapshot.
import { z } from 'zod';
import { isShipmentStatus } from '../tracking/statuses.ts';
import type { TrackerSnapshot } from '../tracking/tracker-snapshot.ts';

const time = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'a date-time');
const nullableText = z.string().nullish();

const DetailSchema = z.object({
  message: nullableText,
  description: nullableText,
  status: nullableText,
  status_detail: nullableText,
  datetime: time,
  tracking_location: z.object({ city: nullableText, state: nullableText, country: nullableText, zip: nullableText }).partial().nullish(),
});

export const TrackerSchema = z.object({
  id: z.string().min(1),
  object: z.literal('Tracker').optional(),
  tracking_code: z.string().min(1),
  status: z.string(),
  status_detail: nullableText,
  carrier: nullableText,
  updated_at: time,
  est_delivery_date: time.nullish(),
  signed_by: nullableText,
  public_url: nullableText,
  tracking_details: z.array(DetailSchema).default([]),
});
export type EasyPostTracker = z.infer<typeof TrackerSchema>;

const normal = (s: string | null | undefined) => (s && isShipmentStatus(s) ? s : 'unknown');
const blank = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

/** Our snapshot of an EasyPost tracker. */
export function snapshotFromTracker(t: EasyPostTracker): TrackerSnapshot {
  return {
    trackerId: t.id,
    status: normal(t.status),
    statusDetail: blank(t.status_detail),
    updatedAt: Date.parse(t.updated_at),
    estDeliveryAt: t.est_delivery_date ? Date.parse(t.est_delivery_date) : null,
    signedBy: blank(t.signed_by),
    publicUrl: blank(t.public_url),
    details: t.tracking_details.map((d) => ({
      occurredAt: Date.parse(d.datetime),
      status: normal(d.status),
      statusDetail: blank(d.status_detail),
      message: blank(d.message) ?? blank(d.description) ?? 'Carrier update',
      city: blank(d.tracking_location?.city),
      state: blank(d.tracking_location?.state),
      country: blank(d.tracking_location?.country),
      postalCode: blank(d.tracking_location?.zip),
    })),
  };
}
