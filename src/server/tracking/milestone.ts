// How a parcel's status becomes the milestone bar and the words above it. Nothing else decides this.
import { MILESTONES, type Milestone, type ShipmentStatus } from './statuses.ts';

export interface MilestoneView {
  /** Index into MILESTONES of the step reached (0 ordered … 4 delivered). */
  step: number;
  milestone: Milestone;
  /** The current step in words, for the headline and for screen readers. */
  headline: string;
  /** One calm sentence on what it means. */
  detail: string;
  /** Set when the parcel is in trouble rather than progressing. */
  exception: null | 'return_to_sender' | 'failure' | 'cancelled' | 'error';
}

const at = (step: number, headline: string, detail: string, exception: MilestoneView['exception'] = null): MilestoneView => ({
  step,
  milestone: MILESTONES[step] as Milestone,
  headline,
  detail,
  exception,
});

/** The milestone view of a parcel; `scanned` says whether the carrier has ever scanned it. */
export function milestoneFor(status: ShipmentStatus | null, scanned: boolean): MilestoneView {
  const progress = scanned ? 2 : 1;
  switch (status) {
    case null:
      return at(0, 'Preparing your order', 'The store is getting these items ready to ship.');
    case 'unknown':
    case 'pre_transit':
      return at(1, 'Label created', 'The parcel is packed and waiting for the carrier to pick it up.');
    case 'in_transit':
      return at(2, 'In transit', 'The parcel is on its way with the carrier.');
    case 'out_for_delivery':
      return at(3, 'Out for delivery', 'The parcel is on the delivery vehicle and should arrive today.');
    case 'available_for_pickup':
      return at(3, 'Ready for pickup', 'The parcel is waiting for you at the carrier’s pickup point.');
    case 'delivered':
      return at(4, 'Delivered', 'The carrier has delivered the parcel.');
    case 'return_to_sender':
      return at(progress, 'Returning to the store', 'The carrier is sending the parcel back to the store.', 'return_to_sender');
    case 'failure':
      return at(progress, 'Delivery problem', 'The carrier reported a problem delivering the parcel.', 'failure');
    case 'cancelled':
      return at(1, 'Shipment cancelled', 'This shipment was cancelled before the carrier collected it.', 'cancelled');
    case 'error':
      return at(1, 'Tracking unavailable', 'The carrier is not giving updates for this parcel right now.', 'error');
  }
}
