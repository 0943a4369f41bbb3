// EasyPost's test tracking codes. The canned details below are the ones recorded from test mode
// (tracker-*.json fixtures): they are re-stamped relative to each update, backdated by 30 days, and the
// tracker moves one status per minute of scenario time.
import type { DetailSpec, Plan, PlanStep, TrackerStatus } from './types.ts';
import { MINUTE } from './clock.ts';
import { NOWHERE, place } from './geo.ts';

/** Final status of each EasyPost test code. */
export const TEST_CODES: Readonly<Record<string, TrackerStatus>> = {
  EZ1000000001: 'pre_transit',
  EZ2000000002: 'in_transit',
  EZ3000000003: 'out_for_delivery',
  EZ4000000004: 'delivered',
  EZ5000000005: 'return_to_sender',
  EZ6000000006: 'failure',
  EZ7000000007: 'unknown',
};

/** Whether a code is one of EasyPost's test codes. */
export function isTestCode(code: string): boolean {
  return Object.hasOwn(TEST_CODES, code);
}

const HOUSTON = place('HOUSTON', 'TX', '77063', null);
const N_HOUSTON = place('NORTH HOUSTON', 'TX', '77315', null);
const COLUMBIA = place('COLUMBIA', 'SC', '29201', null);
const CHARLESTON = place('CHARLESTON', 'SC', '29407', null);

function canned(offsetMin: number, status: TrackerStatus, statusDetail: string | null, message: string, at = CHARLESTON): DetailSpec {
  return { status, statusDetail, message, description: '', place: at, carrierCode: '', cannedOffsetMin: offsetMin };
}

const PRE: DetailSpec[] = [
  canned(0, 'pre_transit', 'status_update', 'Pre-Shipment Info Sent to USPS', NOWHERE),
  canned(757, 'pre_transit', 'status_update', 'Shipping Label Created', HOUSTON),
];
const TRANSIT: DetailSpec[] = [
  canned(1362, 'in_transit', 'arrived_at_facility', 'Arrived at USPS Origin Facility', N_HOUSTON),
  canned(2898, 'in_transit', 'arrived_at_facility', 'Arrived at USPS Facility', COLUMBIA),
  canned(3069, 'in_transit', 'arrived_at_facility', 'Arrived at Post Office'),
  canned(3409, 'in_transit', 'status_update', 'Sorting Complete'),
];
const OFD = canned(3419, 'out_for_delivery', 'out_for_delivery', 'Out for Delivery');
const DELIVERED = canned(3711, 'delivered', 'arrived_at_destination', 'Delivered');
// No recording shows the exception codes' details; these follow USPS wording and EasyPost's vocabulary.
const EXCEPTIONS: Partial<Record<TrackerStatus, DetailSpec>> = {
  return_to_sender: canned(3500, 'return_to_sender', 'return', 'Return to Sender Processed'),
  failure: canned(3500, 'failure', 'delivery_exception', 'Undeliverable as Addressed'),
  unknown: canned(3500, 'unknown', 'unknown', 'Status Not Available'),
};

/** The plan of a test code (or, with 'delivered', of a test-mode label), one status per minute. */
export function cannedPlan(finalStatus: TrackerStatus, carrier: string, firstAtMs = 0): Plan {
  const steps: PlanStep[] = [{ atMs: firstAtMs, details: PRE }];
  const order: TrackerStatus[] = ['pre_transit', 'in_transit', 'out_for_delivery', 'delivered'];
  const exception = EXCEPTIONS[finalStatus];
  if (finalStatus !== 'pre_transit') steps.push({ atMs: firstAtMs + MINUTE, details: TRANSIT });
  if (exception) steps.push({ atMs: firstAtMs + 2 * MINUTE, details: [exception] });
  else if (order.indexOf(finalStatus) >= 2) steps.push({ atMs: firstAtMs + 2 * MINUTE, details: [OFD] });
  if (finalStatus === 'delivered') {
    steps.push({ atMs: firstAtMs + 3 * MINUTE, details: [DELIVERED], signedBy: 'John Tester' });
  }
  return {
    kind: 'canned',
    carrier,
    service: 'First-Class Package Service',
    origin: HOUSTON,
    destination: CHARLESTON,
    originLabel: 'HOUSTON TX, 77001',
    destinationLabel: 'CHARLESTON SC, 29401',
    weight: null,
    est: 'updated_at',
    steps,
  };
}

/** The status "error" tracker a test key gets for a code that is not a test code (tracker-error-invalid-test-code.json). */
export function invalidTestCodePlan(carrier: string): Plan {
  const detail: DetailSpec = {
    status: 'error',
    statusDetail: null,
    message: 'In test mode, only test tracking numbers are valid. Test tracking numbers are EZ1000000001, EZ2000000002, ... , EZ7000000007',
    description: '',
    place: NOWHERE,
    carrierCode: '',
    source: 'ProcessingError',
  };
  return {
    kind: 'error',
    carrier,
    service: null,
    origin: null,
    destination: null,
    originLabel: null,
    destinationLabel: null,
    weight: null,
    est: null,
    steps: [{ atMs: 0, details: [detail] }],
  };
}
