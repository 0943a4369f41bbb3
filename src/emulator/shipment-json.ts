// Shipment JSON with the key order of the recorded shipment-*.json answers.
import type { ShipmentRecord } from './shipments.ts';
import { isoSeconds } from './clock.ts';

/** A shipment as EasyPost's JSON; `tracker` is the embedded tracker's GET-shaped JSON (or null before buying). */
export function shipmentJson(s: ShipmentRecord, tracker: Record<string, unknown> | null): Record<string, unknown> {
  return {
    id: s.id,
    created_at: isoSeconds(s.createdAt),
    is_return: s.isReturn,
    messages: [],
    mode: s.mode,
    options: { currency: 'USD', payment: { type: 'SENDER' }, date_advance: 0 },
    reference: s.reference,
    // EasyPost mirrors the tracker's status on the shipment; right after buying it is still "unknown".
    status: typeof tracker?.status === 'string' ? tracker.status : 'unknown',
    tracking_code: s.trackingCode,
    updated_at: isoSeconds(s.updatedAt),
    batch_id: null,
    batch_status: null,
    batch_message: null,
    customs_info: s.customsInfo,
    from_address: s.fromAddress,
    insurance: s.insurance,
    order_id: null,
    parcel: s.parcel,
    postage_label: s.postageLabel,
    rates: s.rates,
    refund_status: s.refundStatus,
    scan_form: null,
    selected_rate: s.selectedRate,
    tracker,
    to_address: s.toAddress,
    usps_zone: 4,
    return_address: s.returnAddress,
    buyer_address: s.buyerAddress,
    forms: s.forms,
    fees: s.fees,
    object: 'Shipment',
  };
}
