// How trackers move: EasyPost test codes, generated journeys, prefix scenarios and scripts, on a fake clock.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Emulator } from '../../../src/emulator/index.ts';
import { clientFor, emulatorWithClock } from './helpers.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});
async function setup(opts: Parameters<typeof emulatorWithClock>[0] = {}) {
  const r = await emulatorWithClock(opts);
  open.push(r.emu);
  return { ...r, client: clientFor(r.emu) };
}

describe('EasyPost test codes', () => {
  it('EZ4000000004 moves one status per minute to delivered, like test mode', async () => {
    const { emu, clock, client } = await setup();
    const t = await client.Tracker.create({ tracking_code: 'EZ4000000004', carrier: 'USPS' });
    expect(t.status).toBe('pre_transit');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(MIN);
      await emu.tick();
      seen.push((await client.Tracker.retrieve(t.id)).status);
    }
    expect(seen).toEqual(['in_transit', 'out_for_delivery', 'delivered', 'delivered']);
    const done = await client.Tracker.retrieve(t.id);
    expect(done.status_detail).toBe('arrived_at_destination');
    expect(done.signed_by).toBe('John Tester');
    expect(done.tracking_details).toHaveLength(8);
    expect(Date.parse(done.updated_at) - Date.parse(done.created_at)).toBe(3 * MIN);
    // Canned details are backdated 30 days from the last update, as recorded.
    expect(Date.parse(done.tracking_details[0]!.datetime)).toBe(Date.parse(done.updated_at) - 30 * DAY);
    expect(done.carrier_detail.destination_tracking_location?.city).toBe('CHARLESTON');
    expect(done.carrier_detail.initial_delivery_attempt).toBe(done.tracking_details[7]!.datetime);
  });

  it('every test code ends in its documented status', async () => {
    const { emu, clock, client } = await setup();
    const expected: Record<string, string> = {
      EZ1000000001: 'pre_transit',
      EZ2000000002: 'in_transit',
      EZ3000000003: 'out_for_delivery',
      EZ4000000004: 'delivered',
      EZ5000000005: 'return_to_sender',
      EZ6000000006: 'failure',
      EZ7000000007: 'unknown',
    };
    const ids: Record<string, string> = {};
    for (const code of Object.keys(expected)) ids[code] = (await client.Tracker.create({ tracking_code: code })).id;
    clock.advance(10 * MIN);
    await emu.tick();
    for (const [code, status] of Object.entries(expected)) {
      const t = await client.Tracker.retrieve(ids[code]!);
      expect([code, t.status]).toEqual([code, status]);
      if (!['EZ1000000001'].includes(code)) expect(t.tracking_details.some((d) => d.status === 'in_transit')).toBe(true);
    }
  });

  it('speed makes scenario time run faster than the clock', async () => {
    const { emu, clock, client } = await setup({ speed: 60 });
    const t = await client.Tracker.create({ tracking_code: 'EZ4000000004' });
    clock.advance(3_000); // 3 minutes of scenario time
    await emu.tick();
    const done = await client.Tracker.retrieve(t.id);
    expect(done.status).toBe('delivered');
    expect(Date.parse(done.updated_at) - Date.parse(done.created_at)).toBe(3_000);
  });

  it('test mode answers a non-test code with the recorded status "error" tracker', async () => {
    const { client } = await setup({ testMode: true });
    const fixture = JSON.parse(
      readFileSync(new URL('../../fixtures/easypost/tracker-error-invalid-test-code.json', import.meta.url), 'utf8'),
    );
    const t = await client.Tracker.create({ tracking_code: 'EZ1000000002', carrier: 'USPS' });
    const got = JSON.parse(JSON.stringify(await client.Tracker.retrieve(t.id)));
    delete got._params;
    const pick = (o: any) => ({
      ...o,
      id: undefined,
      created_at: undefined,
      updated_at: undefined,
      public_url: undefined,
      tracking_details: o.tracking_details.map((d: any) => ({ ...d, datetime: undefined })),
    });
    expect(pick(got)).toEqual(pick(fixture));
    expect(Object.keys(got)).toEqual(Object.keys(fixture));
    const ok = await client.Tracker.create({ tracking_code: 'EZ3000000003' });
    expect(ok.status).toBe('pre_transit');
    expect(ok.mode).toBe('test');
  });
});

describe('generated journeys', () => {
  async function journey(code: string, carrier?: string, after = 12 * DAY) {
    const { emu, clock, client } = await setup();
    const t = await client.Tracker.create({ tracking_code: code, ...(carrier ? { carrier } : {}) });
    const initial = await client.Tracker.retrieve(t.id);
    clock.advance(after);
    await emu.tick();
    return { initial, final: await client.Tracker.retrieve(t.id), now: clock.now() };
  }
  const shape = (t: any) =>
    t.tracking_details.map((d: any) => [
      d.status,
      d.status_detail,
      d.message,
      d.tracking_location.city,
      Date.parse(d.datetime) - Date.parse(t.created_at),
    ]);

  it('is realistic, spread over days and deterministic for a code', async () => {
    const a = await journey('9400111899562537100001');
    const b = await journey('9400111899562537100001');
    expect(shape(a.final)).toEqual(shape(b.final));
    const other = await journey('9400111899562537100002');
    expect(shape(other.final)).not.toEqual(shape(a.final));

    expect(a.initial.status).toBe('pre_transit');
    expect(a.initial.tracking_details[0]!.status_detail).toBe('label_created');
    expect(a.initial.est_delivery_date).not.toBeNull();
    const f = a.final;
    expect(f.status).toBe('delivered');
    expect(f.tracking_details.at(-1)!.message).toMatch(/^Delivered/);
    const details = f.tracking_details.map((d) => d.status_detail);
    expect(details).toEqual(
      expect.arrayContaining([
        'received_at_origin_facility',
        'arrived_at_facility',
        'departed_facility',
        'out_for_delivery',
        'arrived_at_destination',
      ]),
    );
    const times = f.tracking_details.map((d) => Date.parse(d.datetime));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(DAY);
    expect(new Set(f.tracking_details.map((d) => d.tracking_location.city)).size).toBeGreaterThanOrEqual(3);
    expect(Date.parse(f.est_delivery_date)).toBeGreaterThanOrEqual(times.at(-1)!); // delivered on time
    expect(f.weight).toBeGreaterThan(0);
  });

  it('uses the carrier’s wording (UPS detected from a 1Z code)', async () => {
    const { final } = await journey('1Z999AA10123456784');
    expect(final.carrier).toBe('UPS');
    expect(final.tracking_details.map((d) => d.message)).toContain('Out For Delivery Today');
  });

  it('WPDELAY stalls in transit and its estimate passes', async () => {
    const { initial, final, now } = await journey('WPDELAY-1001');
    expect(final.status).toBe('in_transit');
    expect(final.status_detail).toBe('arrived_at_facility');
    expect(Date.parse(final.est_delivery_date)).toBeLessThan(now);
    expect(Date.parse(initial.est_delivery_date)).toBeGreaterThan(Date.parse(initial.created_at));
  });

  it.each([
    ['WPLOST-1', 'failure', 'lost'],
    ['WPFAIL-1', 'failure', 'delivery_exception'],
    ['WPRTS-1', 'return_to_sender', 'return'],
    ['WPPICKUP-1', 'available_for_pickup', 'arrived_at_pickup_location'],
    ['WPLATE-1', 'delivered', 'arrived_at_destination'],
    ['WPNOINFO-1', 'unknown', 'unknown'],
  ])('%s ends %s / %s', async (code, status, detail) => {
    const { final } = await journey(code);
    expect([final.status, final.status_detail]).toEqual([status, detail]);
    if (code === 'WPNOINFO-1') expect(final.tracking_details).toEqual([]);
  });

  it('WPLATE announces a weather delay that moves the estimate a day later', async () => {
    const { emu, clock, client } = await setup();
    const t = await client.Tracker.create({ tracking_code: 'WPLATE-2' });
    const firstEstimate = Date.parse(t.est_delivery_date);
    let current = t;
    for (let i = 0; i < 40 && !current.tracking_details.some((d) => d.status_detail === 'weather_delay'); i++) {
      clock.advance(2 * HOUR);
      await emu.tick();
      current = await client.Tracker.retrieve(t.id);
    }
    expect(current.status_detail).toBe('weather_delay');
    expect(Date.parse(current.est_delivery_date) - firstEstimate).toBe(DAY);
  });
});

describe('script()', () => {
  it('programs a tracker’s future explicitly', async () => {
    const { emu, clock, client } = await setup();
    emu.script('SCRIPTED-1', [
      { afterMs: 0, status: 'pre_transit', statusDetail: 'label_created', message: 'Label made', city: 'Denver', state: 'CO' },
      {
        afterMs: HOUR,
        status: 'in_transit',
        statusDetail: 'arrived_at_facility',
        message: 'At hub',
        city: 'Memphis',
        estDeliveryDate: '2025-05-12T00:00:00Z',
      },
      { afterMs: 2 * HOUR, status: 'delivered', statusDetail: 'arrived_at_destination', message: 'Delivered', signedBy: 'A. Person' },
    ]);
    const t = await client.Tracker.create({ tracking_code: 'SCRIPTED-1' });
    expect([t.status, t.tracking_details[0]!.tracking_location.city]).toEqual(['pre_transit', 'DENVER']);
    expect(t.est_delivery_date).toBeNull();
    clock.advance(HOUR);
    await emu.tick();
    const mid = await client.Tracker.retrieve(t.id);
    expect([mid.status, mid.est_delivery_date]).toEqual(['in_transit', '2025-05-12T00:00:00Z']);
    // Re-scripting an existing tracker replaces the rest of its plan.
    emu.script('SCRIPTED-1', [{ afterMs: 90 * MIN, status: 'failure', statusDetail: 'damaged', message: 'Damaged' }]);
    clock.advance(2 * HOUR);
    await emu.tick();
    const end = await client.Tracker.retrieve(t.id);
    expect([end.status, end.status_detail, end.signed_by]).toEqual(['failure', 'damaged', null]);
  });
});
