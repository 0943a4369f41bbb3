// What a carrier tells us about a parcel at one moment, in our own terms (the carrier adapter in
// carriers/ turns EasyPost's Tracker JSON into this).
import type { ShipmentStatus } from './statuses.ts';

export interface TrackingDetail {
  occurredAt: number;
  status: ShipmentStatus;
  statusDetail: string | null;
  message: string;
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
}

export interface TrackerSnapshot {
  trackerId: string | null;
  status: ShipmentStatus;
  statusDetail: string | null;
  /** The tracker's own updated_at: orders snapshots of one parcel. */
  updatedAt: number;
  estDeliveryAt: number | null;
  signedBy: string | null;
  publicUrl: string | null;
  details: TrackingDetail[];
}

/** One carrier event's identity, however often and in whatever order it arrives. */
export function dedupeKey(d: TrackingDetail): string {
  return `${d.occurredAt}|${d.status}|${d.message.trim().toLowerCase()}`;
}
