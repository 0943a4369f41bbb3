// Trackers through the real @easypost/api client: create, retrieve, list, dedupe, keys and errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator/index.ts';
import { clientFor, emulatorWithClock, errorOf } from './helpers.ts';

let emu: Emulator;
beforeEach(async () => {
  ({ emu } = await emulatorWithClock());
});
afterEach(async () => {
  await emu.close();
});

describe('trackers', () => {
  it('creates and retrieves a tracker', async () => {
    const client = clientFor(emu);
    const created = await client.Tracker.create({ tracking_code: 'EZ1000000001', carrier: 'USPS' });
    expect(created.id).toMatch(/^trk_[0-9a-f]{32}$/);
    expect(created.object).toBe('Tracker');
    expect(created.status).toBe('pre_transit');
    expect(created.tracking_details.map((d) => d.message)).toEqual(['Pre-Shipment Info Sent to USPS', 'Shipping Label Created']);
    const again = await client.Tracker.retrieve(created.id);
    expect(again.id).toBe(created.id);
    expect(again.tracking_code).toBe('EZ1000000001');
  });

  it('returns the same tracker when the same code and carrier are created again under one key', async () => {
    const client = clientFor(emu);
    const a = await client.Tracker.create({ tracking_code: '9400111899223100000001', carrier: 'USPS' });
    const b = await client.Tracker.create({ tracking_code: '9400111899223100000001', carrier: 'usps' });
    expect(b.id).toBe(a.id);
    const list = await client.Tracker.all({ page_size: 10 });
    expect(list.trackers).toHaveLength(1);
  });

  it('keeps each API key’s data apart', async () => {
    const a = clientFor(emu, 'key_A');
    const b = clientFor(emu, 'key_B');
    const t = await a.Tracker.create({ tracking_code: 'EZ2000000002' });
    const err = await errorOf(b.Tracker.retrieve(t.id));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe('The requested resource could not be found.');
    expect(err.errors).toEqual([]);
    expect((await b.Tracker.all()).trackers).toHaveLength(0);
    // The same code under another key is another tracker.
    const t2 = await b.Tracker.create({ tracking_code: 'EZ2000000002' });
    expect(t2.id).not.toBe(t.id);
  });

  it('refuses a missing tracking_code with 422 PARAMETER.REQUIRED', async () => {
    const err = await errorOf(clientFor(emu).Tracker.create({ carrier: 'USPS' } as never));
    expect(err.statusCode).toBe(422);
    expect(err.code).toBe('PARAMETER.REQUIRED');
    expect(err.message).toBe('Missing required parameter.');
    expect(err.errors).toEqual([{ field: 'tracker.tracking_code', message: 'cannot be blank' }]);
  });

  it('answers 403 APIKEY.INACTIVE for an inactive key', async () => {
    const err = await errorOf(clientFor(emu, 'EZAK_inactive_1').Tracker.all());
    expect(err.statusCode).toBe(403);
    expect(err.code).toBe('APIKEY.INACTIVE');
  });

  it('lists newest first with page_size, has_more and getNextPage (before_id)', async () => {
    const client = clientFor(emu);
    const codes = ['WPCODE1', 'WPCODE2', 'WPCODE3', 'WPCODE4', 'WPCODE5'];
    for (const code of codes) await client.Tracker.create({ tracking_code: code });
    const first = await client.Tracker.all({ page_size: 2 });
    expect(first.trackers.map((t) => t.tracking_code)).toEqual(['WPCODE5', 'WPCODE4']);
    expect(first.has_more).toBe(true);
    const second = await client.Tracker.getNextPage(first);
    expect(second.trackers.map((t) => t.tracking_code)).toEqual(['WPCODE3', 'WPCODE2']);
    const third = await client.Tracker.getNextPage(second);
    expect(third.trackers.map((t) => t.tracking_code)).toEqual(['WPCODE1']);
    expect(third.has_more).toBe(false);
    const before = emu.calls.filter((c) => c.method === 'GET' && c.path === '/v2/trackers').at(-1);
    expect(before?.query).toContain('before_id=');
    const newer = await client.Tracker.all({ after_id: first.trackers[1]!.id });
    expect(newer.trackers.map((t) => t.tracking_code)).toEqual(['WPCODE5']);
  });

  it('filters the list by tracking code', async () => {
    const client = clientFor(emu);
    for (const code of ['WPA1', 'WPB2', 'WPC3']) await client.Tracker.create({ tracking_code: code });
    const one = await client.Tracker.all({ tracking_code: 'WPB2' });
    expect(one.trackers.map((t) => t.tracking_code)).toEqual(['WPB2']);
    const two = await client.Tracker.all({ tracking_codes: ['WPA1', 'WPC3'] } as never);
    expect(two.trackers.map((t) => t.tracking_code)).toEqual(['WPC3', 'WPA1']);
  });

  it('records every call with its key, so tests can count them', async () => {
    const client = clientFor(emu, 'counting_key');
    await client.Tracker.create({ tracking_code: 'EZ1000000001' });
    await client.Tracker.all();
    expect(emu.calls.map((c) => [c.method, c.path, c.apiKey, c.status])).toEqual([
      ['POST', '/v2/trackers', 'counting_key', 201],
      ['GET', '/v2/trackers', 'counting_key', 200],
    ]);
  });
});
