// Shipments, rates and labels (for return labels). Shapes follow shipment-*.json: three USPS rates with
// string amounts, a PNG postage label, fees, and an embedded tracker once bought.
import type { TrackerStore } from './trackers.ts';
import { ApiError, parameterRequired } from './errors.ts';
import { hashHex, newId, randomDigits } from './ids.ts';
import { isoSeconds } from './clock.ts';
import { placeFromAddress } from './geo.ts';

type Json = Record<string, unknown>;

export interface ShipmentRecord {
  id: string;
  apiKey: string;
  mode: 'test' | 'production';
  createdAt: number;
  updatedAt: number;
  isReturn: boolean;
  reference: string | null;
  toAddress: Json;
  fromAddress: Json;
  returnAddress: Json;
  buyerAddress: Json;
  parcel: Json;
  customsInfo: Json | null;
  rates: Json[];
  selectedRate: Json | null;
  postageLabel: Json | null;
  insurance: string | null;
  trackingCode: string | null;
  trackerId: string | null;
  refundStatus: string | null;
  fees: Json[];
  forms: Json[];
}

// The rates recorded in shipment-create-with-rates.json: [service, rate, retail, list, days].
const RATES: ReadonlyArray<readonly [string, string, string, string, number]> = [
  ['Express', '51.20', '59.25', '51.20', 2],
  ['Priority', '11.01', '15.40', '11.01', 2],
  ['GroundAdvantage', '8.20', '13.85', '9.74', 3],
];

const ADDRESS_FIELDS = ['name', 'company', 'street1', 'street2', 'city', 'state', 'zip', 'country', 'phone', 'email'] as const;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Shipments of all keys; every lookup is by key. */
export class ShipmentStore {
  private readonly byId = new Map<string, ShipmentRecord>();
  private readonly labels = new Map<string, { trackingCode: string }>(); // pl_… → label content
  private readonly formIds = new Set<string>();
  private readonly clock: () => number;
  private readonly trackers: TrackerStore;
  private readonly testMode: boolean;
  private readonly publicBase: string;

  constructor(clock: () => number, trackers: TrackerStore, testMode: boolean, publicBase: string) {
    this.clock = clock;
    this.trackers = trackers;
    this.testMode = testMode;
    this.publicBase = publicBase;
  }

  /** POST /v2/shipments: a shipment with rates, not bought. */
  create(apiKey: string, params: unknown): ShipmentRecord {
    if (!isObject(params) || Object.keys(params).length === 0) throw parameterRequired('shipment');
    for (const field of ['to_address', 'from_address', 'parcel'] as const) {
      if (!isObject(params[field])) throw parameterRequired(`shipment.${field}`);
    }
    const now = this.clock();
    const mode = this.testMode ? 'test' : 'production';
    const id = newId('shp');
    const to = this.address(params.to_address as Json, mode, now);
    const from = this.address(params.from_address as Json, mode, now);
    const carrierAccount = `ca_${hashHex(`ca:${apiKey}`)}`;
    const dated = { created_at: isoSeconds(now), updated_at: isoSeconds(now), mode };
    const shipment: ShipmentRecord = {
      id,
      apiKey,
      mode,
      createdAt: now,
      updatedAt: now,
      isReturn: params.is_return === true || params.is_return === 'true',
      reference: typeof params.reference === 'string' ? params.reference : null,
      toAddress: to,
      fromAddress: from,
      returnAddress: isObject(params.return_address) ? this.address(params.return_address, mode, now) : from,
      buyerAddress: isObject(params.buyer_address) ? this.address(params.buyer_address, mode, now) : to,
      parcel: this.parcel(params.parcel as Json, mode, now),
      customsInfo: isObject(params.customs_info) ? { id: newId('cstinfo'), object: 'CustomsInfo', ...params.customs_info } : null,
      rates: RATES.map(([service, rate, retail, list, days]) => ({
        id: newId('rate'),
        object: 'Rate',
        ...dated,
        service,
        carrier: 'USPS',
        rate,
        currency: 'USD',
        retail_rate: retail,
        retail_currency: 'USD',
        list_rate: list,
        list_currency: 'USD',
        billing_type: 'easypost',
        delivery_days: days,
        delivery_date: null,
        delivery_date_guaranteed: false,
        est_delivery_days: days,
        shipment_id: id,
        carrier_account_id: carrierAccount,
      })),
      selectedRate: null,
      postageLabel: null,
      insurance: null,
      trackingCode: null,
      trackerId: null,
      refundStatus: null,
      fees: [],
      forms: [],
    };
    this.byId.set(id, shipment);
    return shipment;
  }

  /** A shipment of this key, or undefined. */
  get(apiKey: string, id: string): ShipmentRecord | undefined {
    const s = this.byId.get(id);
    return s && s.apiKey === apiKey ? s : undefined;
  }

  /** POST /v2/shipments/:id/buy: postage, tracking code and a tracker that starts moving. */
  buy(s: ShipmentRecord, params: Json): ShipmentRecord {
    if (s.postageLabel) throw new ApiError(422, 'SHIPMENT.POSTAGE.EXISTS', 'Postage already exists for this shipment.');
    const rateId = isObject(params.rate) ? params.rate.id : undefined;
    if (typeof rateId !== 'string' || rateId === '') throw parameterRequired('rate');
    const rate = s.rates.find((r) => r.id === rateId);
    if (!rate)
      throw new ApiError(422, 'SHIPMENT.RATE.INVALID', 'The rate does not belong to this shipment.', [
        { field: 'rate.id', message: 'is invalid' },
      ]);
    const now = this.clock();
    const plId = newId('pl');
    s.trackingCode = `9400100${randomDigits(15)}`; // USPS-style, like the recorded labels
    s.selectedRate = rate;
    s.postageLabel = {
      object: 'PostageLabel',
      id: plId,
      created_at: isoSeconds(now),
      updated_at: isoSeconds(now),
      date_advance: 0,
      integrated_form: 'none',
      label_date: isoSeconds(now),
      label_resolution: 300,
      label_size: '4x6',
      label_type: 'default',
      label_file_type: 'image/png',
      label_url: `${this.publicBase}/labels/${plId}.png`,
      label_pdf_url: null,
      label_zpl_url: null,
      label_epl2_url: null,
      label_file: null,
    };
    this.labels.set(plId, { trackingCode: s.trackingCode });
    s.fees = [{ object: 'Fee', type: 'PostageFee', amount: Number(rate.rate).toFixed(5), charged: true, refunded: false }];
    const insured = Number(params.insurance);
    if (params.insurance !== undefined && insured > 0) {
      s.insurance = String(params.insurance);
      s.fees.push({ object: 'Fee', type: 'InsuranceFee', amount: (insured * 0.005).toFixed(5), charged: true, refunded: false });
    }
    s.updatedAt = now;
    // A return label ships to the from_address (EasyPost's is_return semantics), so its route is reversed.
    const [origin, destination] = s.isReturn ? [s.toAddress, s.fromAddress] : [s.fromAddress, s.toAddress];
    const { tracker } = this.trackers.create(s.apiKey, {
      trackingCode: s.trackingCode,
      carrier: 'USPS',
      shipmentId: s.id,
      isReturn: s.isReturn,
      label: { origin: placeFromAddress(origin), destination: placeFromAddress(destination) },
    });
    s.trackerId = tracker.id;
    return s;
  }

  /** GET /v2/shipments/:id/label?file_format=…: fills the matching label_*_url. */
  convertLabel(s: ShipmentRecord, format: string): ShipmentRecord {
    const label = s.postageLabel;
    if (!label) throw new ApiError(422, 'SHIPMENT.POSTAGE.REQUIRED', 'The shipment must be bought before its label can be converted.');
    const ext = format.toLowerCase();
    if (!['pdf', 'zpl', 'epl2', 'png'].includes(ext)) {
      throw new ApiError(422, 'PARAMETER.INVALID', 'Invalid file_format.', [
        { field: 'file_format', message: 'must be one of PDF, ZPL, EPL2, PNG' },
      ]);
    }
    if (ext !== 'png') label[`label_${ext}_url`] = `${this.publicBase}/labels/${String(label.id)}.${ext}`;
    label.updated_at = isoSeconds(this.clock());
    return s;
  }

  /** POST /v2/shipments/:id/refund: refund_status "submitted" (asking again returns the same answer). */
  refund(s: ShipmentRecord): ShipmentRecord {
    if (!s.postageLabel) throw new ApiError(422, 'SHIPMENT.REFUND.UNAVAILABLE', 'Only a bought shipment can be refunded.');
    s.refundStatus ??= 'submitted';
    s.updatedAt = this.clock();
    return s;
  }

  /**
   * POST /v2/shipments/:id/forms {form:{type}}: EasyPost's forms created by request. Only the USPS
   * Label Broker QR code is modelled (a PNG at /forms/<id>.png); asking again returns the same form.
   */
  generateForm(s: ShipmentRecord, params: Json): ShipmentRecord {
    const type = isObject(params.form) ? params.form.type : undefined;
    if (typeof type !== 'string' || type === '') throw parameterRequired('form.type');
    if (!s.postageLabel) throw new ApiError(422, 'SHIPMENT.POSTAGE.REQUIRED', 'The shipment must be bought before a form can be created.');
    if (type !== 'label_qr_code' || s.selectedRate?.carrier !== 'USPS')
      throw new ApiError(422, 'FORM.TYPE.INVALID', `Form type ${type} is not available for this shipment.`);
    if (!s.forms.some((f) => f.form_type === type)) {
      const id = newId('form');
      const now = isoSeconds(this.clock());
      s.forms.push({
        object: 'Form',
        id,
        created_at: now,
        updated_at: now,
        mode: s.mode,
        form_type: type,
        form_url: `${this.publicBase}/forms/${id}.png`,
        submitted_electronically: null,
      });
      this.formIds.add(id);
    }
    s.updatedAt = this.clock();
    return s;
  }

  /** True for a form id this emulator made (served at /forms/<id>.png). */
  hasForm(id: string): boolean {
    return this.formIds.has(id);
  }

  /** The label behind a /labels/<pl_id> URL (label URLs need no API key, like EasyPost's S3 links). */
  findLabel(plId: string): { trackingCode: string } | undefined {
    return this.labels.get(plId);
  }

  private address(a: Json, mode: string, now: number): Json {
    const out: Json = { id: typeof a.id === 'string' ? a.id : newId('adr'), object: 'Address' };
    // Addresses carry "+00:00" offsets in the recordings, unlike other objects.
    out.created_at = isoSeconds(now).replace('Z', '+00:00');
    out.updated_at = out.created_at;
    for (const f of ADDRESS_FIELDS) out[f] = a[f] ?? (f === 'country' ? 'US' : null);
    Object.assign(out, {
      mode,
      carrier_facility: null,
      residential: a.residential ?? null,
      federal_tax_id: null,
      state_tax_id: null,
      verifications: {},
    });
    return out;
  }

  private parcel(p: Json, mode: string, now: number): Json {
    const num = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number(v));
    return {
      id: newId('prcl'),
      object: 'Parcel',
      created_at: isoSeconds(now),
      updated_at: isoSeconds(now),
      length: num(p.length),
      width: num(p.width),
      height: num(p.height),
      predefined_package: p.predefined_package ?? null,
      weight: num(p.weight),
      mode,
    };
  }
}
