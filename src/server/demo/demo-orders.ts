// The demo store's orders: one for every state a shopper can meet. Times are relative to now.
import type { ShipmentStatus } from '../tracking/statuses.ts';

const H = 3_600_000;

interface DemoScan {
  hoursAgo: number;
  status: ShipmentStatus;
  message: string;
  city: string;
  state: string;
  statusDetail?: string;
}

export interface DemoParcel {
  carrier: string;
  trackingCode: string;
  items: { sku: string; quantity: number }[];
  /** Days from today; negative is in the past. */
  promisedInDays?: number;
  carrierEstimateInDays?: number;
  scans: DemoScan[];
  signedBy?: string;
}

export interface DemoOrder {
  label: string;
  number: string;
  email: string;
  customerName: string;
  postalCode: string;
  placedHoursAgo: number;
  items: { sku: string; quantity: number }[];
  parcels: DemoParcel[];
}

const route = {
  label: (h: number): DemoScan => ({
    hoursAgo: h,
    status: 'pre_transit',
    message: 'Shipping label created, USPS awaiting item',
    city: 'Portland',
    state: 'OR',
  }),
  accepted: (h: number): DemoScan => ({
    hoursAgo: h,
    status: 'in_transit',
    message: 'Accepted at USPS origin facility',
    city: 'Portland',
    state: 'OR',
    statusDetail: 'arrived_at_facility',
  }),
  departed: (h: number): DemoScan => ({
    hoursAgo: h,
    status: 'in_transit',
    message: 'Departed USPS regional facility',
    city: 'Portland',
    state: 'OR',
    statusDetail: 'departed_facility',
  }),
  arrived: (h: number): DemoScan => ({
    hoursAgo: h,
    status: 'in_transit',
    message: 'Arrived at USPS regional facility',
    city: 'Seattle',
    state: 'WA',
    statusDetail: 'arrived_at_facility',
  }),
  destination: (h: number): DemoScan => ({
    hoursAgo: h,
    status: 'in_transit',
    message: 'Arrived at post office',
    city: 'Seattle',
    state: 'WA',
    statusDetail: 'arrived_at_destination',
  }),
  out: (h: number): DemoScan => ({
    hoursAgo: h,
    status: 'out_for_delivery',
    message: 'Out for delivery',
    city: 'Seattle',
    state: 'WA',
    statusDetail: 'out_for_delivery',
  }),
  delivered: (h: number): DemoScan => ({
    hoursAgo: h,
    status: 'delivered',
    message: 'Delivered, front door/porch',
    city: 'Seattle',
    state: 'WA',
    statusDetail: 'arrived_at_destination',
  }),
};

export const DEMO_ORDERS: DemoOrder[] = [
  {
    label: 'Preparing (not shipped yet)',
    number: '1001',
    email: 'ann.lee@example.com',
    customerName: 'Ann Lee',
    postalCode: '98101',
    placedHoursAgo: 3,
    items: [{ sku: 'TENT-2P-GRN', quantity: 1 }],
    parcels: [],
  },
  {
    label: 'Label created',
    number: '1002',
    email: 'ben.okafor@example.com',
    customerName: 'Ben Okafor',
    postalCode: '98102',
    placedHoursAgo: 26,
    items: [{ sku: 'LAMP-400', quantity: 2 }],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000000002',
        items: [{ sku: 'LAMP-400', quantity: 2 }],
        carrierEstimateInDays: 4,
        scans: [route.label(4)],
      },
    ],
  },
  {
    label: 'In transit',
    number: '1003',
    email: 'chloe.martin@example.com',
    customerName: 'Chloé Martin',
    postalCode: '98103',
    placedHoursAgo: 70,
    items: [{ sku: 'BAG-20F-REG', quantity: 1 }],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000000003',
        items: [{ sku: 'BAG-20F-REG', quantity: 1 }],
        carrierEstimateInDays: 2,
        scans: [route.label(50), route.accepted(40), route.departed(30), route.arrived(8)],
      },
    ],
  },
  {
    label: 'Out for delivery',
    number: '1004',
    email: 'dev.patel@example.com',
    customerName: 'Dev Patel',
    postalCode: '98104',
    placedHoursAgo: 96,
    items: [{ sku: 'BOOT-HK-42', quantity: 1 }],
    parcels: [
      {
        carrier: 'UPS',
        trackingCode: '1Z999AA10123456784',
        items: [{ sku: 'BOOT-HK-42', quantity: 1 }],
        carrierEstimateInDays: 0,
        scans: [route.label(70), route.accepted(60), route.arrived(20), route.destination(6), route.out(2)],
      },
    ],
  },
  {
    label: 'Delivered',
    number: '1005',
    email: 'emma.jones@example.com',
    customerName: 'Emma Jones',
    postalCode: '98105',
    placedHoursAgo: 170,
    items: [
      { sku: 'MUG-TI-450', quantity: 2 },
      { sku: 'SOCK-MW-3', quantity: 1 },
    ],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000000005',
        items: [
          { sku: 'MUG-TI-450', quantity: 2 },
          { sku: 'SOCK-MW-3', quantity: 1 },
        ],
        scans: [route.label(150), route.accepted(140), route.arrived(90), route.out(30), route.delivered(26)],
        signedBy: 'E JONES',
      },
    ],
  },
  {
    label: 'Late (past its promised date)',
    number: '1006',
    email: 'femi.ade@example.com',
    customerName: 'Femi Adeyemi',
    postalCode: '98106',
    placedHoursAgo: 190,
    items: [{ sku: 'JKT-RAIN-M', quantity: 1 }],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000000006',
        items: [{ sku: 'JKT-RAIN-M', quantity: 1 }],
        promisedInDays: -2,
        carrierEstimateInDays: 1,
        // Its last scan is recent enough that it is late only, never also stalled (72 business hours) on any weekday.
        scans: [route.label(170), route.accepted(160), route.departed(150), route.arrived(30)],
      },
    ],
  },
  {
    label: 'Carrier exception (address problem)',
    number: '1007',
    email: 'grace.kim@example.com',
    customerName: 'Grace Kim',
    postalCode: '98107',
    placedHoursAgo: 120,
    items: [{ sku: 'TENT-2P-GRN', quantity: 1 }],
    parcels: [
      {
        carrier: 'FedEx',
        trackingCode: '794699999007',
        items: [{ sku: 'TENT-2P-GRN', quantity: 1 }],
        scans: [
          route.label(100),
          route.accepted(90),
          route.arrived(40),
          {
            hoursAgo: 5,
            status: 'failure',
            message: 'Delivery exception: incorrect address',
            city: 'Seattle',
            state: 'WA',
            statusDetail: 'address_not_found',
          },
        ],
      },
    ],
  },
  {
    label: 'Split across two parcels',
    number: '1008',
    email: 'hugo.silva@example.com',
    customerName: 'Hugo Silva',
    postalCode: '98108',
    placedHoursAgo: 60,
    items: [
      { sku: 'TENT-2P-GRN', quantity: 1 },
      { sku: 'BAG-20F-REG', quantity: 1 },
      { sku: 'LAMP-400', quantity: 1 },
    ],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000000081',
        items: [{ sku: 'TENT-2P-GRN', quantity: 1 }],
        carrierEstimateInDays: 2,
        scans: [route.label(40), route.accepted(30), route.departed(20)],
      },
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000000082',
        items: [
          { sku: 'BAG-20F-REG', quantity: 1 },
          { sku: 'LAMP-400', quantity: 1 },
        ],
        carrierEstimateInDays: 3,
        scans: [route.label(10)],
      },
    ],
  },
  {
    label: 'One parcel delivered, one moving',
    number: '1009',
    email: 'ines.garcia@example.com',
    customerName: 'Inés García',
    postalCode: '98109',
    placedHoursAgo: 140,
    items: [
      { sku: 'BOOT-HK-42', quantity: 1 },
      { sku: 'SOCK-MW-3', quantity: 2 },
    ],
    parcels: [
      {
        carrier: 'UPS',
        trackingCode: '1Z999AA10123456791',
        items: [{ sku: 'SOCK-MW-3', quantity: 2 }],
        scans: [route.label(120), route.accepted(110), route.out(28), route.delivered(24)],
      },
      {
        carrier: 'UPS',
        trackingCode: '1Z999AA10123456792',
        items: [{ sku: 'BOOT-HK-42', quantity: 1 }],
        carrierEstimateInDays: 1,
        scans: [route.label(60), route.accepted(50), route.arrived(12)],
      },
    ],
  },
  {
    label: 'Partly shipped, rest being prepared',
    number: '1010',
    email: 'jun.tanaka@example.com',
    customerName: 'Jun Tanaka',
    postalCode: '98110',
    placedHoursAgo: 40,
    items: [
      { sku: 'JKT-RAIN-M', quantity: 1 },
      { sku: 'MUG-TI-450', quantity: 1 },
    ],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000000010',
        items: [{ sku: 'MUG-TI-450', quantity: 1 }],
        carrierEstimateInDays: 2,
        scans: [route.label(20), route.accepted(12)],
      },
    ],
  },
  {
    label: 'Live: moving right now (watch it update)',
    number: '1011',
    email: 'kai.mueller@example.com',
    customerName: 'Kai Müller',
    postalCode: '98111',
    placedHoursAgo: 5,
    items: [
      { sku: 'LAMP-400', quantity: 1 },
      { sku: 'MUG-TI-450', quantity: 1 },
    ],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899561111111101',
        items: [
          { sku: 'LAMP-400', quantity: 1 },
          { sku: 'MUG-TI-450', quantity: 1 },
        ],
        scans: [],
      },
    ],
  },
  {
    label: 'Live: will stall and turn late',
    number: '1012',
    email: 'lena.novak@example.com',
    customerName: 'Lena Novak',
    postalCode: '98112',
    placedHoursAgo: 5,
    items: [{ sku: 'BAG-20F-REG', quantity: 1 }],
    parcels: [{ carrier: 'USPS', trackingCode: 'WPDELAY1012', items: [{ sku: 'BAG-20F-REG', quantity: 1 }], scans: [] }],
  },
  {
    label: 'Live: delivery will fail',
    number: '1013',
    email: 'omar.haddad@example.com',
    customerName: 'Omar Haddad',
    postalCode: '98113',
    placedHoursAgo: 5,
    items: [{ sku: 'JKT-RAIN-M', quantity: 1 }],
    parcels: [{ carrier: 'UPS', trackingCode: 'WPFAIL1013', items: [{ sku: 'JKT-RAIN-M', quantity: 1 }], scans: [] }],
  },
  {
    // Delivered a week ago: past the review delay, so the order page asks "How is your …?".
    label: 'Delivered last week (ready for a review)',
    number: '1040',
    email: 'rosa.diaz@example.com',
    customerName: 'Rosa Diaz',
    postalCode: '98140',
    placedHoursAgo: 300,
    items: [
      { sku: 'BOOT-HK-42', quantity: 1 },
      { sku: 'TENT-2P-GRN', quantity: 1 },
    ],
    parcels: [
      {
        carrier: 'USPS',
        trackingCode: '9400111899560000001040',
        items: [
          { sku: 'BOOT-HK-42', quantity: 1 },
          { sku: 'TENT-2P-GRN', quantity: 1 },
        ],
        scans: [route.label(280), route.accepted(270), route.arrived(220), route.out(180), route.delivered(176)],
        signedBy: 'R DIAZ',
      },
    ],
  },
];

export const HOUR = H;
