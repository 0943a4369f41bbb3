// EasyPost's normalised shipment statuses, and the milestone bar a shopper sees.

export const SHIPMENT_STATUSES = [
  'unknown',
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'available_for_pickup',
  'return_to_sender',
  'failure',
  'cancelled',
  'error',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const MILESTONES = ['ordered', 'shipped', 'in_transit', 'out_for_delivery', 'delivered'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Statuses after which a parcel will not move again. */
export const SETTLED_STATUSES: ReadonlySet<ShipmentStatus> = new Set(['delivered', 'return_to_sender', 'cancelled']);

/** Statuses that are a problem rather than progress. */
export const EXCEPTION_STATUSES: ReadonlySet<ShipmentStatus> = new Set(['return_to_sender', 'failure', 'cancelled', 'error']);

/** How far along the journey a status is; exceptions have no rank of their own. */
const RANK: Partial<Record<ShipmentStatus, number>> = {
  unknown: 1,
  pre_transit: 1,
  in_transit: 2,
  out_for_delivery: 3,
  available_for_pickup: 3,
  delivered: 4,
};

export function isShipmentStatus(s: string): s is ShipmentStatus {
  return (SHIPMENT_STATUSES as readonly string[]).includes(s);
}

/** Rank used to order statuses of one parcel; exceptions rank with in-transit progress. */
export function statusRank(status: ShipmentStatus): number {
  return RANK[status] ?? 2;
}
