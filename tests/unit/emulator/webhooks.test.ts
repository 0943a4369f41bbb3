// Webhook delivery, checked with the real client's validateWebhook on the raw bytes a receiver got.
import { afterEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import EasyPostClient from '@easypost/api';
import { signBody } from '../../../src/emulator/index.ts';
import { clientFor, emulatorWithClock, errorOf, startReceiver } from './helpers.ts';

const DAY = 86_400_000;
const FIXTURES = fileURLToPath(new URL('../../fixtures/easypost', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function setup(opts: Parameters<typeof emulatorWithClock>[0] = {}) {
  const r = await emulatorWithClock({ webhookRetryDelaysMs: [20, 20], ...opts });
  cleanups.push(() => r.emu.close());
  return r;
}
async function receiver(statusFor?: (n: number) => number) {
  const r = await startReceiver(statusFor);
  cleanups.push(r.close);
  return r;
}
const utils = new EasyPostClient('any').Utils;

describe('webhook signatures', () => {
  it('signBody reproduces EasyPost’s published test vectors', () => {
    const vectors = JSON.parse(readFileSync(`${FIXTURES}/webhook-signature.json`, 'utf8'));
    for (const c of vectors.cases) expect(signBody(c.body, vectors.secret)).toBe(c.signature);
  });
});

describe('webhook delivery', () => {
  it('sends tracker.created and tracker.updated, signed so validateWebhook accepts the raw body', async () => {
    const { emu, clock } = await setup();
    const rx = await receiver();
    const client = clientFor(emu, 'key_hooks');
    const secret = 's\u00e9cret'; // non-ASCII: NFKD normalisation matters
    const hook = await client.Webhook.create({ url: rx.url, webhook_secret: secret });
    expect(hook.id).toMatch(/^hook_/);
    expect(hook.object).toBe('Webhook');

    const t = await client.Tracker.create({ tracking_code: '9400111899562537100001' });
    const created = await rx.waitFor((e) => e.description === 'tracker.created');
    const createdEvent = utils.validateWebhook(created.body, created.headers, secret) as any;
    expect(createdEvent).toMatchObject({
      object: 'Event',
      status: 'pending',
      previous_attributes: {},
      pending_urls: [rx.url],
      completed_urls: [],
    });
    expect(createdEvent.id).toMatch(/^evt_/);
    expect(createdEvent.user_id).toMatch(/^user_/);
    expect(createdEvent.result).toMatchObject({ id: t.id, object: 'Tracker', status: 'pre_transit' });
    // Weights go out as floats, as EasyPost sends them, and the signature covers exactly those bytes.
    expect(created.body.toString()).toMatch(/"weight":\d+\.0[,}]/);
    const raw = `hmac-sha256-hex=${createHmac('sha256', secret.normalize('NFKD')).update(created.body).digest('hex')}`;
    expect(created.headers['x-hmac-signature']).toBe(raw);

    clock.advance(DAY);
    await emu.tick();
    const updated = await rx.waitFor((e) => e.description === 'tracker.updated');
    const event = utils.validateWebhook(updated.body, updated.headers, secret) as any;
    expect(event.previous_attributes).toEqual({ status: 'pre_transit' });
    expect(event.result.status).toBe('in_transit');
    expect(event.result.tracking_details.length).toBeGreaterThan(createdEvent.result.tracking_details.length);

    const err = await errorOf(Promise.resolve().then(() => utils.validateWebhook(updated.body, updated.headers, 'wrong')));
    expect(err.message).toMatch(/did not originate from EasyPost|secret mismatch/);
  });

  it('delivers only to the webhooks of the tracker’s API key', async () => {
    const { emu } = await setup();
    const mine = await receiver();
    const theirs = await receiver();
    emu.registerWebhook('key_mine', mine.url, 'secret1');
    emu.registerWebhook('key_theirs', theirs.url, 'secret2');
    await clientFor(emu, 'key_mine').Tracker.create({ tracking_code: 'EZ1000000001' });
    await mine.waitFor((e) => e.description === 'tracker.created');
    await emu.drainWebhooks();
    expect(theirs.requestCount()).toBe(0);
  });

  it('retries a failed delivery with backoff and records every attempt', async () => {
    const { emu } = await setup();
    const rx = await receiver((n) => (n === 1 ? 500 : 200));
    emu.registerWebhook('key_retry', rx.url, 'secret');
    await clientFor(emu, 'key_retry').Tracker.create({ tracking_code: 'EZ1000000001' });
    await rx.waitFor((e) => e.description === 'tracker.created');
    await emu.drainWebhooks();
    expect(emu.deliveries.map((d) => [d.description, d.attempt, d.statusCode])).toEqual([
      ['tracker.created', 1, 500],
      ['tracker.created', 2, 200],
    ]);
    const events = await clientFor(emu, 'key_retry').Event.all({});
    const full = await clientFor(emu, 'key_retry').Event.retrieve(events.events[0]!.id);
    expect([full.status, full.completed_urls, full.pending_urls]).toEqual(['completed', [rx.url], []]);
  });

  it('gives up after the last retry and marks the event failed', async () => {
    const { emu } = await setup();
    const rx = await receiver(() => 503);
    emu.registerWebhook('key_down', rx.url, 'secret');
    const client = clientFor(emu, 'key_down');
    await client.Tracker.create({ tracking_code: 'EZ1000000001' });
    await emu.drainWebhooks();
    expect(emu.deliveries.map((d) => d.statusCode)).toEqual([503, 503, 503]);
    const [item] = (await client.Event.all({})).events;
    expect(item!.status).toBe('failed');
  });

  it('never holds up the API answer while a receiver is slow', async () => {
    const { emu } = await setup();
    let release: () => void = () => {};
    let arrived: () => void = () => {};
    const gotRequest = new Promise<void>((r) => (arrived = r));
    const slow = http.createServer((_req, res) => {
      arrived();
      release = () => res.writeHead(200).end();
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    cleanups.push(
      () =>
        new Promise((r) => {
          slow.closeAllConnections();
          slow.close(() => r());
        }),
    );
    emu.registerWebhook('key_slow', `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, 's');
    const t = await clientFor(emu, 'key_slow').Tracker.create({ tracking_code: 'EZ1000000001' });
    expect(t.status).toBe('pre_transit'); // answered…
    await gotRequest; // …while the delivery is still waiting for the receiver
    expect(emu.deliveries).toHaveLength(0);
    release();
    await emu.drainWebhooks();
    expect(emu.deliveries.map((d) => d.statusCode)).toEqual([200]);
  });
});

describe('events API', () => {
  it('lists and retrieves events without result, shaped like the recordings', async () => {
    const { emu, clock } = await setup();
    const client = clientFor(emu, 'key_events');
    await client.Tracker.create({ tracking_code: 'EZ4000000004' });
    clock.advance(60_000);
    const list = await client.Event.all({ page_size: 5 }); // listing brings trackers up to date first
    expect(list.events.map((e) => e.description)).toEqual(['tracker.updated', 'tracker.created']);
    expect(list.has_more).toBe(false);
    const listFixture = JSON.parse(readFileSync(`${FIXTURES}/events-list.json`, 'utf8'));
    const strip = (o: object) =>
      Object.keys(o)
        .filter((k) => k !== '_params')
        .sort();
    expect(strip(list.events[0]!)).toEqual(Object.keys(listFixture.events[0]).sort());
    expect(list.events[0]!.created_at).toMatch(/\.\d{3}Z$/);

    const one = await client.Event.retrieve(list.events[1]!.id);
    const retrieveFixture = JSON.parse(readFileSync(`${FIXTURES}/event-retrieve-tracker-created.json`, 'utf8'));
    expect(strip(one)).toEqual(Object.keys(retrieveFixture).sort());
    expect(one).not.toHaveProperty('result');
    const err = await errorOf(clientFor(emu, 'other_key').Event.retrieve(one.id));
    expect(err.statusCode).toBe(404);
  });
});
