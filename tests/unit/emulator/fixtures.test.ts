// The emulator's JSON against EasyPost's recorded payloads (tests/fixtures/easypost).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../../src/emulator/index.ts';
import { emulatorWithClock, startReceiver } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/easypost', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));
let emu: Emulator;
let advance: (ms: number) => void;
beforeEach(async () => {
  const r = await emulatorWithClock();
  emu = r.emu;
  advance = r.clock.advance;
});
afterEach(async () => {
  await emu.close();
});

// Raw HTTP, so we compare exactly what EasyPost's client would parse.
async function call(method: string, path: string, key = 'key_fixtures', body?: unknown) {
  const res = await fetch(`${emu.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe('tracker JSON matches the recordings', () => {
  it('GET has the keys of tracker-in_transit.json; create has those of tracker-pre_transit.json', async () => {
    const created = await call('POST', 'trackers', undefined, { tracker: { tracking_code: 'EZ4000000004', carrier: 'USPS' } });
    expect(created.status).toBe(201);
    // Create answers have finalized/is_return and no fees (documented GET-vs-create difference).
    expect(Object.keys(created.json)).toEqual(Object.keys(fixture('tracker-pre_transit.json')));
    expect(Object.keys(created.json.tracking_details[0])).toEqual(Object.keys(fixture('tracker-pre_transit.json').tracking_details[0]));
    advance(60_000);
    const got = await call('GET', `trackers/${created.json.id}`);
    const inTransit = fixture('tracker-in_transit.json');
    expect(Object.keys(got.json)).toEqual(Object.keys(inTransit));
    expect(Object.keys(got.json.tracking_details[0])).toEqual(Object.keys(inTransit.tracking_details[0]));
    expect(Object.keys(got.json.tracking_details[0].tracking_location)).toEqual(
      Object.keys(inTransit.tracking_details[0].tracking_location),
    );
    expect(Object.keys(got.json.carrier_detail)).toEqual(Object.keys(inTransit.carrier_detail));
    // Same canned story as the recorded test-mode label.
    const story = (t: any) => t.tracking_details.map((d: any) => [d.message, d.status, d.status_detail, d.tracking_location.city]);
    expect(story(got.json)).toEqual(story(inTransit));
    expect([got.json.status, got.json.status_detail]).toEqual([inTransit.status, inTransit.status_detail]);
    expect(got.json.tracking_details[0].datetime).toBe(
      new Date(Date.parse(got.json.updated_at) - 30 * 86_400_000).toISOString().replace('.000Z', 'Z'),
    );
  });

  it('a delivered test tracker tells the recorded delivered story', async () => {
    const created = await call('POST', 'trackers', undefined, { tracker: { tracking_code: 'EZ4000000004' } });
    advance(3 * 60_000);
    const got = await call('GET', `trackers/${created.json.id}`);
    const delivered = fixture('tracker-delivered.json');
    const story = (t: any) => t.tracking_details.map((d: any) => [d.message, d.status, d.status_detail]);
    expect(story(got.json)).toEqual(story(delivered));
    expect([got.json.status, got.json.status_detail, got.json.signed_by]).toEqual(['delivered', 'arrived_at_destination', 'John Tester']);
  });

  it('the list envelope matches tracker-list.json', async () => {
    for (const code of ['WP1', 'WP2', 'WP3']) await call('POST', 'trackers', undefined, { tracker: { tracking_code: code } });
    const list = await call('GET', 'trackers?page_size=2');
    const recorded = fixture('tracker-list.json');
    expect(Object.keys(list.json)).toEqual(Object.keys(recorded));
    expect(list.json.has_more).toBe(true);
    expect(Object.keys(list.json.trackers[0])).toEqual(Object.keys(recorded.trackers[0]));
  });

  it('webhook bodies have the keys (in order) of event-tracker-updated.json', async () => {
    const rx = await startReceiver();
    try {
      emu.registerWebhook('key_fixtures', rx.url, 'secret');
      await call('POST', 'trackers', undefined, { tracker: { tracking_code: 'EZ2000000002' } });
      advance(60_000);
      await emu.tick();
      const got = await rx.waitFor((e) => e.description === 'tracker.updated');
      const body = JSON.parse(got.body.toString());
      const recorded = fixture('event-tracker-updated.json');
      expect(Object.keys(body)).toEqual(Object.keys(recorded));
      expect(Object.keys(body.result)).toEqual(Object.keys(recorded.result));
      expect(body.previous_attributes).toEqual({ status: 'pre_transit' });
      expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      await rx.close();
    }
  });
});

describe('error bodies match the recordings', () => {
  it('404, 403 and 422 are byte-for-byte EasyPost’s', async () => {
    const notFound = await call('GET', 'trackers/trk_0123456789abcdef0123456789abcdef');
    expect(notFound).toEqual({ status: 404, json: fixture('error-404-not-found.json') });
    const inactive = await call('GET', 'trackers', 'EZAK_inactive');
    expect(inactive).toEqual({ status: 403, json: fixture('error-403-apikey-inactive.json') });
    const missing = await call('POST', 'shipments', undefined, {});
    expect(missing).toEqual({ status: 422, json: fixture('error-422-parameter-required.json') });
    const unknownRoute = await call('GET', 'no-such-thing');
    expect(unknownRoute).toEqual({ status: 404, json: fixture('error-404-not-found.json') });
  });

  it('a request without a key is refused with an EasyPost-shaped 401', async () => {
    const res = await fetch(`${emu.baseUrl}trackers`);
    expect(res.status).toBe(401);
    expect(Object.keys(((await res.json()) as any).error)).toEqual(['code', 'message', 'errors']);
  });
});
