// How a parcel's status becomes the milestone bar and the words above it. Nothing else decides this.
import { MILESTONES, type Milestone, type ShipmentStatus } from './statuses.ts';

/** The state a parcel is in, in words: its catalogue keys are `order.headline.<state>` and `order.detail.<state>`. */
type MilestoneState =
  | 'preparing'
  | 'labelCreated'
  | 'inTransit'
  | 'outForDelivery'
  | 'readyForPickup'
  | 'delivered'
  | 'returning'
  | 'deliveryProblem'
  | 'cancelled'
  | 'trackingUnavailable';

export interface MilestoneView {
  /** Which words describe it on shopper pages (the catalogue's `order.headline.<state>`). */
  state: MilestoneState;
  /** Index into MILESTONES of the step reached (0 ordered … 4 delivered). */
  step: number;
  milestone: Milestone;
  /** The current step in English words, for the back office (shoppers read `state` in their language). */
  headline: string;
  /** One calm sentence on what it means. */
  detail: string;
  /** Set when the parcel is in trouble rather than progressing. */
  exception: null | 'return_to_sender' | 'failure' | 'cancelled' | 'error';
}

const at = (
  state: MilestoneState,
  step: number,
  headline: string,
  detail: string,
  exception: MilestoneView['exception'] = null,
): MilestoneView => ({
  state,
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
      return at('preparing', 0, 'Preparing your order', 'The store is getting these items ready to ship.');
    case 'unknown':
    case 'pre_transit':
      return at('labelCreated', 1, 'Label created', 'The parcel is packed and waiting for the carrier to pick it up.');
    case 'in_transit':
      return at('inTransit', 2, 'In transit', 'The parcel is on its way with the carrier.');
    case 'out_for_delivery':
      return at('outForDelivery', 3, 'Out for delivery', 'The parcel is on the delivery vehicle and should arrive today.');
    case 'available_for_pickup':
      return at('readyForPickup', 3, 'Ready for pickup', 'The parcel is waiting for you at the carrier’s pickup point.');
    case 'delivered':
      return at('delivered', 4, 'Delivered', 'The carrier has delivered the parcel.');
    case 'return_to_sender':
      return at(
        'returning',
        progress,
        'Returning to the store',
        'The carrier is sending the parcel back to the store.',
        'return_to_sender',
      );
    case 'failure':
      return at('deliveryProblem', progress, 'Delivery problem', 'The carrier reported a problem delivering the parcel.', 'failure');
    case 'cancelled':
      return at('cancelled', 1, 'Shipment cancelled', 'This shipment was cancelled before the carrier collected it.', 'cancelled');
    case 'error':
      return at('trackingUnavailable', 1, 'Tracking unavailable', 'The carrier is not giving updates for this parcel right now.', 'error');
  }
}
