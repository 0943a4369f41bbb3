// The catalogue of events Waypost hands on: every type, its version and the zod schema of its
// `data`. The README's catalogue (JSON schema and an example of each) is generated from this file
// (`describeCatalogue`), and tests/unit/events/catalogue.test.ts fails when the two differ.
// A type's schema only ever gains optional fields; a breaking change is a new version.
import { z } from 'zod';

const isoTime = z.iso.datetime().describe('ISO 8601 time, UTC');

const Common = {
  store: z.string().describe('the store’s slug'),
  orderNumber: z.string().describe('the order’s number as the store gave it'),
  email: z.string().describe('the shopper’s email'),
  trackingUrl: z.url().describe('the order page (absolute)'),
};

const Item = z.object({
  sku: z.string(),
  title: z.string(),
  variant: z.string().nullable(),
  quantity: z.number().int(),
  imageUrl: z.string().nullable(),
});

const Shipment = z.object({
  carrier: z.string(),
  trackingCode: z.string(),
  status: z.string().describe('the parcel’s normalised status (EasyPost’s vocabulary)'),
  statusDetail: z.string().nullable(),
  estimatedDelivery: z.iso.date().nullable().describe('YYYY-MM-DD: the store’s promised date, else the carrier’s estimate'),
  lastScanAt: isoTime.nullable().describe('the time of the carrier’s newest scan: order events of one parcel by it'),
  deliveredAt: isoTime.nullable(),
});

const ShipmentData = z.object({
  ...Common,
  shipment: Shipment,
  items: z.array(Item).describe('the items in this parcel'),
  notice: z
    .object({ kind: z.string(), reason: z.string().nullable() })
    .nullable()
    .describe('for shipment.delayed and shipment.exception: the notice opened'),
});

const ReturnData = z.object({
  ...Common,
  return: z.object({
    id: z.string(),
    status: z.string(),
    resolution: z.string().describe('refund, store_credit or exchange'),
    currency: z.string(),
    totalBack: z.number().int().describe('what the shopper gets back, in minor units'),
    carrier: z.string().nullable(),
    trackingCode: z.string().nullable(),
    labelUrl: z.string().nullable(),
    items: z.array(z.object({ sku: z.string(), quantity: z.number().int(), reason: z.string() })),
  }),
});

const ReviewData = z.object({
  ...Common,
  review: z.object({
    id: z.string(),
    productId: z.string(),
    productTitle: z.string(),
    rating: z.number().int().min(1).max(5),
    title: z.string().nullable(),
    body: z.string().nullable(),
    displayName: z.string(),
    publishedAt: isoTime,
  }),
});

const CaseData = z.object({
  ...Common,
  case: z.object({
    id: z.string(),
    kind: z.string(),
    source: z.string().describe('exception, problem_report, review or checkin'),
    message: z.string().nullable(),
    trackingCode: z.string().nullable(),
  }),
});

const TestData = z.object({ store: z.string(), message: z.string() });

const example = {
  store: 'northwind',
  orderNumber: '1001',
  email: 'ann@example.com',
  trackingUrl: 'https://track.example.com/northwind/t/abc123.sig',
};
const exampleShipment = (
  status: string,
  extra: Partial<z.infer<typeof Shipment>> = {},
  notice: { kind: string; reason: string | null } | null = null,
) => ({
  ...example,
  shipment: {
    carrier: 'USPS',
    trackingCode: '9400100000000000000001',
    status,
    statusDetail: null,
    estimatedDelivery: '2026-11-25',
    lastScanAt: '2026-11-23T08:14:00.000Z',
    deliveredAt: null,
    ...extra,
  },
  items: [{ sku: 'TENT-2P', title: 'Two-person tent', variant: 'Green', quantity: 1, imageUrl: 'https://cdn.example.com/tent.jpg' }],
  notice,
});
const exampleReturn = (status: string) => ({
  ...example,
  return: {
    id: 'r_8f2k1',
    status,
    resolution: 'refund',
    currency: 'USD',
    totalBack: 24900,
    carrier: 'USPS',
    trackingCode: '9400100000000000000099',
    labelUrl: 'https://easypost-files.example.com/label.pdf',
    items: [{ sku: 'TENT-2P', quantity: 1, reason: 'too_small' }],
  },
});

interface EventType {
  type: string;
  version: number;
  /** Klaviyo's metric name for it. */
  metric: string;
  summary: string;
  schema: z.ZodType;
  example: unknown;
}

/** Every event type, in the order the README lists them. */
export const EVENT_TYPES = [
  {
    type: 'shipment.shipped',
    version: 1,
    metric: 'Waypost Parcel Shipped',
    summary: 'the carrier’s first scan of a parcel',
    schema: ShipmentData,
    example: exampleShipment('in_transit'),
  },
  {
    type: 'shipment.out_for_delivery',
    version: 1,
    metric: 'Waypost Parcel Out For Delivery',
    summary: 'a parcel is out for delivery',
    schema: ShipmentData,
    example: exampleShipment('out_for_delivery'),
  },
  {
    type: 'shipment.delivered',
    version: 1,
    metric: 'Waypost Parcel Delivered',
    summary: 'a parcel was delivered',
    schema: ShipmentData,
    example: exampleShipment('delivered', { deliveredAt: '2026-11-24T15:02:00.000Z', lastScanAt: '2026-11-24T15:02:00.000Z' }),
  },
  {
    type: 'shipment.delayed',
    version: 1,
    metric: 'Waypost Parcel Delayed',
    summary: 'a parcel became late, stalled or was never scanned (a delay notice opened)',
    schema: ShipmentData,
    example: exampleShipment('in_transit', {}, { kind: 'late', reason: null }),
  },
  {
    type: 'shipment.exception',
    version: 1,
    metric: 'Waypost Parcel Exception',
    summary: 'the carrier reported a problem (failed delivery, returned to sender, lost…)',
    schema: ShipmentData,
    example: exampleShipment('failure', {}, { kind: 'exception', reason: 'delivery_failed' }),
  },
  {
    type: 'return.created',
    version: 1,
    metric: 'Waypost Return Created',
    summary: 'a shopper started a return',
    schema: ReturnData,
    example: exampleReturn('requested'),
  },
  {
    type: 'return.label_ready',
    version: 1,
    metric: 'Waypost Return Label Ready',
    summary: 'a return’s prepaid label was bought',
    schema: ReturnData,
    example: exampleReturn('label_ready'),
  },
  {
    type: 'return.refunded',
    version: 1,
    metric: 'Waypost Return Refunded',
    summary: 'a return’s refund, store credit or exchange was released',
    schema: ReturnData,
    example: exampleReturn('refunded'),
  },
  {
    type: 'review.published',
    version: 1,
    metric: 'Waypost Review Published',
    summary: 'a review was published',
    schema: ReviewData,
    example: {
      ...example,
      review: {
        id: 'rv_1a2b',
        productId: 'TENT-2P',
        productTitle: 'Two-person tent',
        rating: 5,
        title: 'Dry all night',
        body: 'Kept us dry through a storm.',
        displayName: 'Ann L.',
        publishedAt: '2026-11-30T10:00:00.000Z',
      },
    },
  },
  {
    type: 'case.opened',
    version: 1,
    metric: 'Waypost Case Opened',
    summary: 'work for a person at the store: a carrier exception, a problem report, a low rating, a return to review',
    schema: CaseData,
    example: {
      ...example,
      case: {
        id: 'c_9x',
        kind: 'damaged',
        source: 'problem_report',
        message: 'The box was crushed.',
        trackingCode: '9400100000000000000001',
      },
    },
  },
  {
    type: 'webhook.test',
    version: 1,
    metric: 'Waypost Test',
    summary: 'sent to one endpoint when the store asks for a test',
    schema: TestData,
    example: { store: 'northwind', message: 'A test event from Waypost.' },
  },
] as const satisfies readonly EventType[];

export type EventTypeName = (typeof EVENT_TYPES)[number]['type'];
export type ShipmentEventData = z.infer<typeof ShipmentData>;
export type ReturnEventData = z.infer<typeof ReturnData>;
export type ReviewEventData = z.infer<typeof ReviewData>;
export type CaseEventData = z.infer<typeof CaseData>;

/** The catalogue entry of a type (undefined for an unknown one). */
export function eventType(type: string): EventType | undefined {
  return EVENT_TYPES.find((t) => t.type === type);
}

/** The types a store may subscribe an endpoint to (the test event is sent only on request). */
export const SUBSCRIBABLE_TYPES: readonly string[] = EVENT_TYPES.map((t) => t.type).filter((t) => t !== 'webhook.test');

/** The catalogue as Markdown: each type's version, summary, JSON schema of `data` and an example. */
export function describeCatalogue(): string {
  const parts = EVENT_TYPES.map((t) =>
    [
      `#### \`${t.type}\` (v${t.version})`,
      '',
      `${t.summary[0]!.toUpperCase()}${t.summary.slice(1)}. Klaviyo metric: "${t.metric}".`,
      '',
      '<details><summary>JSON schema of <code>data</code></summary>',
      '',
      '```json',
      JSON.stringify(z.toJSONSchema(t.schema), null, 2),
      '```',
      '',
      '</details>',
      '',
      'Example body:',
      '',
      '```json',
      JSON.stringify({ type: t.type, timestamp: '2026-11-24T15:02:03.000Z', data: t.example }, null, 2),
      '```',
    ].join('\n'),
  );
  return parts.join('\n\n') + '\n';
}
