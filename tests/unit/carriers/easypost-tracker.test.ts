// Our reading of EasyPost's Tracker JSON, against every tracker EasyPost recorded (tests/fixtures/easypost).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snapshotFromTracker, TrackerSchema } from '../../../src/server/carriers/easypost-tracker.ts';
import { SHIPMENT_STATUSES } from '../../../src/server/tracking/statuses.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/easypost', import.meta.url));
const read = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const at = (iso: string) => Date.parse(iso);

/** Every recorded tracker, named by where it came from. */
const recorded: [string, Record<string, unknown>][] = [
  ...readdirSync(FIXTURES)
    .filter((f) => /^tracker-.*\.json$/.test(f) && f !== 'tracker-list.json')
    .map((f) => [f, read(f)] as [string, Record<string, unknown>]),
  ['event-tracker-updated.json#result', read('event-tracker-updated.json').result],
  ...(read('tracker-list.json').trackers as Record<string, unknown>[]).map(
    (t, i) => [`tracker-list.json#trackers[${i}]`, t] as [string, Record<string, unknown>],
  ),
];

interface Expected {
  id: string;
  code: string;
  status: string;
  statusDetail: string | null;
  updatedAt: string;
  est: string | null;
  signedBy: string | null;
  details: number;
  first: {
    at: string;
    status: string;
    message: string;
    city: string | null;
    state: string | null;
    country: string | null;
    postalCode: string | null;
  };
  last: {
    at: string;
    status: string;
    statusDetail: string | null;
    message: string;
    city: string | null;
    state: string | null;
    country: string | null;
    postalCode: string | null;
  };
}

const USPS_FIRST = (at: string) => ({
  at,
  status: 'pre_transit',
  message: 'Pre-Shipment Info Sent to USPS',
  city: null,
  state: null,
  country: null,
  postalCode: null,
});
const CHARLESTON = { city: 'CHARLESTON', state: 'SC', country: null, postalCode: '29407' };
const HOUSTON = { city: 'HOUSTON', state: 'TX', country: null, postalCode: '77063' };

const expected: Record<string, Expected> = {
  'tracker-pre_transit.json': {
    id: 'trk_9135862729734d96ad2f9ed0f0565a27',
    code: 'EZ1000000001',
    status: 'pre_transit',
    statusDetail: 'status_update',
    updatedAt: '2025-05-09T20:40:17Z',
    est: '2025-05-09T20:40:17Z',
    signedBy: null,
    details: 2,
    first: USPS_FIRST('2025-04-09T20:40:17Z'),
    last: {
      at: '2025-04-10T09:17:17Z',
      status: 'pre_transit',
      statusDetail: 'status_update',
      message: 'Shipping Label Created',
      ...HOUSTON,
    },
  },
  'tracker-in_transit.json': {
    id: 'trk_de07fcbb492e4c198c43982529e1e00f',
    code: '9400100110368068501115',
    status: 'in_transit',
    statusDetail: 'status_update',
    updatedAt: '2024-07-29T18:10:47Z',
    est: '2024-07-29T18:10:47Z',
    signedBy: null,
    details: 6,
    first: USPS_FIRST('2024-06-29T18:10:47Z'),
    last: { at: '2024-07-02T02:59:47Z', status: 'in_transit', statusDetail: 'status_update', message: 'Sorting Complete', ...CHARLESTON },
  },
  'tracker-out_for_delivery.json': {
    id: 'trk_945c1a702e8041518f4360fa8211f6a2',
    code: '9434600110368068500783',
    status: 'out_for_delivery',
    statusDetail: 'out_for_delivery',
    updatedAt: '2024-07-29T18:10:52Z',
    est: '2024-07-29T18:10:52Z',
    signedBy: null,
    details: 7,
    first: USPS_FIRST('2024-06-29T18:10:52Z'),
    last: {
      at: '2024-07-02T03:09:52Z',
      status: 'out_for_delivery',
      statusDetail: 'out_for_delivery',
      message: 'Out for Delivery',
      ...CHARLESTON,
    },
  },
  'tracker-delivered.json': {
    id: 'trk_49f396d77d124058b3981e776d02c6f4',
    code: '9400100110368068500422',
    status: 'delivered',
    statusDetail: 'arrived_at_destination',
    updatedAt: '2024-07-29T18:10:49Z',
    est: '2024-07-29T18:10:49Z',
    signedBy: 'John Tester',
    details: 8,
    first: USPS_FIRST('2024-06-29T18:10:49Z'),
    last: { at: '2024-07-02T08:01:49Z', status: 'delivered', statusDetail: 'arrived_at_destination', message: 'Delivered', ...CHARLESTON },
  },
  'tracker-error-invalid-test-code.json': {
    id: 'trk_6be4f40a0bba4e9da84c3ceb3b793ffd',
    code: 'EZ1000000002',
    status: 'error',
    statusDetail: 'unknown',
    updatedAt: '2024-07-29T17:50:19Z',
    est: null,
    signedBy: null,
    details: 1,
    first: {
      at: '2024-07-29T17:50:19Z',
      status: 'error',
      message:
        'In test mode, only test tracking numbers are valid. Test tracking numbers are EZ1000000001, EZ2000000002, ... , EZ7000000007',
      city: null,
      state: null,
      country: null,
      postalCode: null,
    },
    last: {
      at: '2024-07-29T17:50:19Z',
      status: 'error',
      statusDetail: null,
      message:
        'In test mode, only test tracking numbers are valid. Test tracking numbers are EZ1000000001, EZ2000000002, ... , EZ7000000007',
      city: null,
      state: null,
      country: null,
      postalCode: null,
    },
  },
  'event-tracker-updated.json#result': {
    id: 'trk_1',
    code: '1',
    status: 'in_transit',
    statusDetail: 'arrived_at_facility',
    updatedAt: '2024-08-02T19:26:51Z',
    est: '2024-08-05T00:00:00Z',
    signedBy: null,
    details: 7,
    first: {
      at: '2024-07-31T15:00:00Z',
      status: 'pre_transit',
      message: 'Shipment information sent to FedEx',
      city: null,
      state: null,
      country: 'US',
      postalCode: '32837',
    },
    last: {
      at: '2024-08-02T18:50:00Z',
      status: 'in_transit',
      statusDetail: 'arrived_at_facility',
      message: 'Arrived at FedEx location',
      city: 'EDISON',
      state: 'NJ',
      country: 'US',
      postalCode: '08817',
    },
  },
};
const LIST = [
  ['trk_ab346939cd0d4670abf22cb86d593e20', '9400100110368068953525', '27'],
  ['trk_5ff5530b042b4c949b28faa82a1e4d31', '9400100110368068953495', '25'],
  ['trk_7d2547a93de64243aa922cb1574cb4ab', '9400100110368068953440', '23'],
  ['trk_198cd46925cb4e55b77d9775824c8c19', '9400100110368068953365', '17'],
  ['trk_797dea7fe91c4362ad88d4e62482b99b', '9400100110368068953341', '15'],
];
LIST.forEach(([id, code, s], i) => {
  expected[`tracker-list.json#trackers[${i}]`] = {
    id: id!,
    code: code!,
    status: 'pre_transit',
    statusDetail: 'status_update',
    updatedAt: `2024-07-30T16:12:${s}Z`,
    est: `2024-07-30T16:12:${s}Z`,
    signedBy: null,
    details: 2,
    first: USPS_FIRST(`2024-06-30T16:12:${s}Z`),
    last: {
      at: `2024-07-01T04:49:${s}Z`,
      status: 'pre_transit',
      statusDetail: 'status_update',
      message: 'Shipping Label Created',
      ...HOUSTON,
    },
  };
});

describe('TrackerSchema and snapshotFromTracker on every recorded tracker', () => {
  it('covers all eleven recorded trackers', () => {
    expect(recorded.map(([name]) => name).sort()).toEqual(Object.keys(expected).sort());
    expect(recorded).toHaveLength(11); // five tracker files, the event's result, five in the list
  });

  it.each(recorded)('%s parses and becomes the snapshot it records', (name, raw) => {
    const e = expected[name]!;
    const parsed = TrackerSchema.safeParse(raw);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const s = snapshotFromTracker(parsed.data!);
    expect(s).toMatchObject({
      trackerId: e.id,
      status: e.status,
      statusDetail: e.statusDetail,
      updatedAt: at(e.updatedAt),
      estDeliveryAt: e.est ? at(e.est) : null,
      signedBy: e.signedBy,
    });
    expect(parsed.data!.tracking_code).toBe(e.code);
    expect(s.publicUrl).toMatch(/^https:\/\/track\.easypost\.com\//);
    expect(s.details).toHaveLength(e.details);
    const { at: firstAt, ...first } = e.first;
    expect(s.details[0]).toMatchObject({ occurredAt: at(firstAt), ...first });
    const { at: lastAt, ...last } = e.last;
    expect(s.details.at(-1)).toEqual({ occurredAt: at(lastAt), ...last });
  });

  it.each(recorded)('%s: every detail has a real time, a known status and a message', (_name, raw) => {
    const s = snapshotFromTracker(TrackerSchema.parse(raw));
    for (const d of s.details) {
      expect(Number.isFinite(d.occurredAt)).toBe(true);
      expect(d.occurredAt).toBeLessThanOrEqual(s.updatedAt);
      expect(SHIPMENT_STATUSES).toContain(d.status);
      expect(d.message.trim()).toBe(d.message);
      expect(d.message.length).toBeGreaterThan(0);
    }
    // details come oldest first
    const times = s.details.map((d) => d.occurredAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('reads the error tracker, whose carrier_detail is null, without complaint', () => {
    const raw = read('tracker-error-invalid-test-code.json');
    expect(raw.carrier_detail).toBeNull();
    const t = TrackerSchema.parse(raw);
    expect(t).not.toHaveProperty('carrier_detail');
    expect(snapshotFromTracker(t)).toMatchObject({ status: 'error', statusDetail: 'unknown', estDeliveryAt: null, signedBy: null });
  });

  it('reads the FedEx event’s locations, with their countries and leading-zero ZIP codes', () => {
    const s = snapshotFromTracker(TrackerSchema.parse(read('event-tracker-updated.json').result));
    expect(s.details.map((d) => [d.city, d.state, d.country, d.postalCode])).toEqual([
      [null, null, 'US', '32837'],
      ['ORLANDO', 'FL', 'US', '32809'],
      ['ORLANDO', 'FL', 'US', '32809'],
      ['ORLANDO', 'FL', 'US', '32809'],
      ['KENLY', 'NC', 'US', '27542'],
      ['EDISON TWP', 'NJ', 'US', '08817'],
      ['EDISON', 'NJ', 'US', '08817'],
    ]);
    expect(s.details.map((d) => d.statusDetail)).toEqual([
      'label_created',
      'arrived_at_facility',
      'arrived_at_facility',
      'departed_facility',
      'unknown',
      'unknown',
      'arrived_at_facility',
    ]);
    expect(s.details.map((d) => d.occurredAt)).toContain(at('2024-08-01T14:42:13Z'));
  });

  it('reads the delivered tracker’s statuses in order', () => {
    const s = snapshotFromTracker(TrackerSchema.parse(read('tracker-delivered.json')));
    expect(s.details.map((d) => d.status)).toEqual([
      'pre_transit',
      'pre_transit',
      'in_transit',
      'in_transit',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'delivered',
    ]);
    expect(s.details.map((d) => d.city)).toEqual([
      null,
      'HOUSTON',
      'NORTH HOUSTON',
      'COLUMBIA',
      'CHARLESTON',
      'CHARLESTON',
      'CHARLESTON',
      'CHARLESTON',
    ]);
  });
});

describe('TrackerSchema and snapshotFromTracker at the edges', () => {
  const base = () => structuredClone(read('tracker-in_transit.json')) as Record<string, unknown>;

  it('an unknown status becomes "unknown"; blank texts become null; a missing message falls back', () => {
    const raw = base();
    raw.status = 'in_orbit';
    raw.status_detail = '   ';
    raw.signed_by = '';
    raw.public_url = null;
    const details = raw.tracking_details as Record<string, unknown>[];
    details[0] = { ...details[0], status: 'teleported', message: '  ', description: ' Described instead ', tracking_location: null };
    details[1] = { ...details[1], message: null, description: null };
    const s = snapshotFromTracker(TrackerSchema.parse(raw));
    expect(s).toMatchObject({ status: 'unknown', statusDetail: null, signedBy: null, publicUrl: null });
    expect(s.details[0]).toMatchObject({
      status: 'unknown',
      message: 'Described instead',
      city: null,
      state: null,
      country: null,
      postalCode: null,
    });
    expect(s.details[1]!.message).toBe('Carrier update');
  });

  it('a tracker without details has none', () => {
    const raw = base();
    delete raw.tracking_details;
    expect(snapshotFromTracker(TrackerSchema.parse(raw)).details).toEqual([]);
  });

  it.each([
    ['no id', (t: Record<string, unknown>) => delete t.id],
    ['an empty tracking code', (t: Record<string, unknown>) => (t.tracking_code = '')],
    ['a bad updated_at', (t: Record<string, unknown>) => (t.updated_at = 'yesterday')],
    ['a bad detail datetime', (t: Record<string, unknown>) => ((t.tracking_details as Record<string, unknown>[])[2]!.datetime = 'soon')],
    ['another object', (t: Record<string, unknown>) => (t.object = 'Shipment')],
    ['a numeric status', (t: Record<string, unknown>) => (t.status = 3)],
  ])('refuses a tracker with %s', (_name, spoil) => {
    const raw = base();
    spoil(raw);
    expect(TrackerSchema.safeParse(raw).success).toBe(false);
  });
});
