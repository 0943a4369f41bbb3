// How each carrier words its scans. Messages follow the carriers' public tracking pages; status details
// use EasyPost's vocabulary (@easypost/api types/Tracker/TrackerStatusDetail.d.ts).

export type Scan =
  | 'label'
  | 'accept'
  | 'departOrigin'
  | 'arrive'
  | 'depart'
  | 'arriveDest'
  | 'ofd'
  | 'delivered'
  | 'deliveredSigned'
  | 'pickup'
  | 'attempt'
  | 'rts'
  | 'weather'
  | 'lost'
  | 'fail';

type Wording = Record<Scan, readonly [message: string, carrierCode: string]>;

const USPS: Wording = {
  label: ['Shipping Label Created, USPS Awaiting Item', ''],
  accept: ['Accepted at USPS Origin Facility', ''],
  departOrigin: ['Departed USPS Origin Facility', ''],
  arrive: ['Arrived at USPS Regional Facility', ''],
  depart: ['Departed USPS Regional Facility', ''],
  arriveDest: ['Arrived at Post Office', ''],
  ofd: ['Out for Delivery', ''],
  delivered: ['Delivered, In/At Mailbox', ''],
  deliveredSigned: ['Delivered, Left with Individual', ''],
  pickup: ['Available for Pickup', ''],
  attempt: ['Delivery Attempted - No Access to Delivery Location', ''],
  rts: ['Return to Sender Processed', ''],
  weather: ['In Transit, Arriving Late - Weather Delay', ''],
  lost: ['Item Could Not Be Located', ''],
  fail: ['Undeliverable as Addressed - Insufficient Address', ''],
};

const UPS: Wording = {
  label: ['Shipper created a label, UPS has not received the package yet.', 'MP'],
  accept: ['Origin Scan', 'OR'],
  departOrigin: ['Departed from Facility', 'DP'],
  arrive: ['Arrived at Facility', 'AR'],
  depart: ['Departed from Facility', 'DP'],
  arriveDest: ['Destination Scan', 'DS'],
  ofd: ['Out For Delivery Today', 'OT'],
  delivered: ['Delivered', 'KB'],
  deliveredSigned: ['Delivered. Signed by the receiver.', 'KB'],
  pickup: ['Delivered to UPS Access Point. Ready for pickup.', 'ZP'],
  attempt: ['The receiver was not available for delivery.', 'RS'],
  rts: ['Returning to Sender', 'RS'],
  weather: ['Weather may delay delivery.', 'WD'],
  lost: ['The package could not be located.', 'LO'],
  fail: ['The address is incomplete. Delivery cannot be made.', 'AD'],
};

const FEDEX: Wording = {
  label: ['Shipment information sent to FedEx', 'OC'],
  accept: ['Picked up', 'PU'],
  departOrigin: ['Left FedEx origin facility', 'DP'],
  arrive: ['Arrived at FedEx location', 'AR'],
  depart: ['Departed FedEx location', 'DP'],
  arriveDest: ['At local FedEx facility', 'AR'],
  ofd: ['On FedEx vehicle for delivery', 'OD'],
  delivered: ['Delivered', 'DL'],
  deliveredSigned: ['Delivered, signature obtained', 'DL'],
  pickup: ['Ready for pickup at FedEx location', 'HP'],
  attempt: ['Delivery exception: customer not available', 'DE'],
  rts: ['Returning package to shipper', 'RS'],
  weather: ['Delay: local weather', 'SE'],
  lost: ['Package not found', 'SE'],
  fail: ['Incorrect address', 'DE'],
};

// Status and status_detail of each kind of scan.
export const SCAN_STATUS: Record<Scan, readonly [status: string, detail: string]> = {
  label: ['pre_transit', 'label_created'],
  accept: ['in_transit', 'received_at_origin_facility'],
  departOrigin: ['in_transit', 'departed_origin_facility'],
  arrive: ['in_transit', 'arrived_at_facility'],
  depart: ['in_transit', 'departed_facility'],
  arriveDest: ['in_transit', 'received_at_destination_facility'],
  ofd: ['out_for_delivery', 'out_for_delivery'],
  delivered: ['delivered', 'arrived_at_destination'],
  deliveredSigned: ['delivered', 'arrived_at_destination'],
  pickup: ['available_for_pickup', 'arrived_at_pickup_location'],
  attempt: ['in_transit', 'delivery_exception'],
  rts: ['return_to_sender', 'return'],
  weather: ['in_transit', 'weather_delay'],
  lost: ['failure', 'lost'],
  fail: ['failure', 'delivery_exception'],
};

/** The wording of a carrier (USPS for carriers we have no table for). */
export function wording(carrier: string): Wording {
  const c = carrier.toUpperCase();
  if (c === 'UPS') return UPS;
  if (c === 'FEDEX') return FEDEX;
  return USPS;
}

/** EasyPost's spelling of a carrier name given in any case. */
export function carrierName(carrier: string | undefined, trackingCode: string): string {
  const c = (carrier ?? '').trim();
  if (/^ups$/i.test(c)) return 'UPS';
  if (/^fedex$/i.test(c)) return 'FedEx';
  if (/^usps$/i.test(c)) return 'USPS';
  if (c) return c;
  // EasyPost detects the carrier from the code when none is given.
  if (/^1Z/i.test(trackingCode)) return 'UPS';
  if (/^\d{12}$|^\d{15}$/.test(trackingCode)) return 'FedEx';
  return 'USPS';
}

/** The service name carrier_detail shows. */
export function serviceName(carrier: string): string {
  const c = carrier.toUpperCase();
  if (c === 'UPS') return 'Ground';
  if (c === 'FEDEX') return 'FEDEX_GROUND';
  return 'GroundAdvantage';
}
