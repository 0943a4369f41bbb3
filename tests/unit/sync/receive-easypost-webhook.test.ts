import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../src/emulator/index.ts';
import { receiveEasyPostWebhook } from '../../../src/server/sync/receive-easypost-webhook.ts';
import { db, schema, transaction } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { encryptSecret } from '../../../src/server/security/keys.ts';
import { createStore } from '../../../src/server/stores/create-store.ts';
import type { Store } from '../../../src/server/stores/store.ts';
import { makeStore } from '../../fixtures/factories.ts';
import { counts, newOrder, shipmentRow, world, type ManualClock } from '../notices/helpers.ts';

interface Vectors {
  header: string;
  secret: string;
  cases: { name: string; body: string; signature: string }[];
}
const vectors: Vectors = JSON.parse(readFileSync(new URL('../../fixtures/easypost/webhook-signature.json', import.meta.url), 'utf8'));
const [current, legacy] = vectors.cases as [Vectors['cases'][number], Vectors['cases'][number]];
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

/** Gives the store the secret of the official vectors (see the last test for why not via createStore). */
async function useSecret(store: Store, secret: string) {
  await transaction((tx) =>
    tx
      .update(schema.stores)
      .set({ webhookSecretEnc: encryptSecret(secret) })
      .where(eq(schema.stores.id, store.id)),
  );
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Everything the webhook could write, to prove a refusal wrote nothing. */
async function everything() {
  return {
    counts: await counts(),
    shipments: await db().select().from(schema.shipments).orderBy(schema.shipments.id),
    events: await db().select().from(schema.trackingEvents).orderBy(schema.trackingEvents.id),
    notices: await db().select().from(schema.notices).orderBy(schema.notices.id),
  };
}

describe('receiveEasyPostWebhook', () => {
  let store: Store;
  let clock: ManualClock;
  let shipmentId: string;
  const CODE = '9400100000000000000001';

  beforeEach(async () => {
    ({ store, clock } = await world('2026-11-24T15:00:00Z'));
    await useSecret(store, vectors.secret);
    ({ shipmentId } = await newOrder(store, clock, {
      shipments: [
        {
          carrier: 'USPS',
          trackingCode: CODE,
          items: [
            { sku: 'TENT-2P', quantity: 1 },
            { sku: 'MUG', quantity: 2 },
          ],
          promisedDeliveryDate: '2026-11-27',
        },
      ],
    }));
  });

  const receive = (body: string | Buffer, headers: Record<string, string>, slug = store.slug) =>
    receiveEasyPostWebhook({ slug, body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), headers, now: clock.now() });
  const signed = (body: string, secret = vectors.secret) => receive(body, { 'x-hmac-signature': signBody(body, secret) });
  /** Makes the store follow the official vectors' tracker (trk_1, tracking code "1"). */
  const followTrk1 = async () =>
    await transaction((tx) => tx.update(schema.shipments).set({ trackerId: 'trk_1' }).where(eq(schema.shipments.id, shipmentId)));

  describe('the official signed vectors', () => {
    it.each([
      ['current', current],
      ['legacy (weight 136.0)', legacy],
    ])('the %s vector is accepted, and ignored when the tracker is not ours, writing nothing', async (_name, v) => {
      expect(Buffer.byteLength(v.body)).toBe(3550);
      const before = await everything();
      expect(await receive(v.body, { [vectors.header]: v.signature })).toBe('ignored');
      expect(await receive(v.body, { [vectors.header.toLowerCase()]: v.signature })).toBe('ignored');
      expect(await everything()).toEqual(before);
    });

    it('is applied to the parcel that follows its tracker; the same news again is unchanged', async () => {
      await followTrk1();
      expect(await receive(current.body, { [vectors.header]: current.signature })).toBe('applied');
      expect(await shipmentRow(shipmentId)).toMatchObject({
        status: 'in_transit',
        statusDetail: 'arrived_at_facility',
        trackerId: 'trk_1',
        trackerUpdatedAt: at('2024-08-02T19:26:51Z'),
        carrierEstimateAt: at('2024-08-05T00:00:00Z'),
        firstScanAt: at('2024-07-31T19:27:00Z'),
        lastEventAt: at('2024-08-02T18:50:00Z'),
        publicUrl: 'https://track.easypost.com/1',
        nextSyncAt: clock.now() + 4 * H,
      });
      expect((await counts()).trackingEvents).toBe(7);
      // the legacy vector carries the same tracker (only its weight differs)
      clock.advance(60_000);
      expect(await receive(legacy.body, { [vectors.header]: legacy.signature })).toBe('unchanged');
      expect(await receive(current.body, { [vectors.header]: current.signature })).toBe('unchanged');
      expect((await counts()).trackingEvents).toBe(7);
    });
  });

  describe('refusals: unauthorized, and nothing written', () => {
    beforeEach(() => followTrk1());

    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);

    it.each([
      [
        'a signature changed by one character (last)',
        () => [current.body, { [vectors.header]: flip(current.signature, current.signature.length - 1) }],
      ],
      [
        'a signature changed by one character (first hex digit)',
        () => [current.body, { [vectors.header]: flip(current.signature, 'hmac-sha256-hex='.length) }],
      ],
      ['a signature with its prefix changed', () => [current.body, { [vectors.header]: current.signature.replace('sha256', 'sha512') }]],
      ['a signature cut short', () => [current.body, { [vectors.header]: current.signature.slice(0, -1) }]],
      ['the other vector’s signature', () => [current.body, { [vectors.header]: legacy.signature }]],
      ['no signature header', () => [current.body, {}]],
      ['the signature under another header', () => [current.body, { 'x-signature': current.signature }]],
      ['an empty signature', () => [current.body, { [vectors.header]: '' }]],
      [
        'a body changed by one byte',
        () => [current.body.replace('"status":"in_transit"', '"status":"in_transiT"'), { [vectors.header]: current.signature }],
      ],
      ['a body with one more trailing newline', () => [`${current.body}\n`, { [vectors.header]: current.signature }]],
      [
        'a body with one space added',
        () => [current.body.replace('{"description"', '{ "description"'), { [vectors.header]: current.signature }],
      ],
    ] as [string, () => [string, Record<string, string>]][])('refuses %s', async (_name, make) => {
      const [body, headers] = make();
      const before = await everything();
      const err = await refusal(receive(body, headers));
      expect(err.kind).toBe('unauthorized');
      expect(err.status).toBe(401);
      expect(await everything()).toEqual(before);
    });

    it('refuses the right signature when the store has another secret', async () => {
      await useSecret(store, 'another-secret-entirely');
      const before = await everything();
      expect((await refusal(receive(current.body, { [vectors.header]: current.signature }))).kind).toBe('unauthorized');
      expect(await everything()).toEqual(before);
    });

    it('compares secrets after NFKD normalisation, as EasyPost does', async () => {
      // "sécret" with a combining accent is the same NFKD key: accepted. A plain "secret" is not.
      await useSecret(store, 'se\u0301cret');
      expect(await receive(current.body, { [vectors.header]: current.signature })).toBe('applied');
      await useSecret(store, 'secret');
      expect((await refusal(receive(current.body, { [vectors.header]: current.signature }))).kind).toBe('unauthorized');
    });

    it('refuses a store that does not exist', async () => {
      const before = await everything();
      expect((await refusal(receive(current.body, { [vectors.header]: current.signature }, 'no-such-store'))).kind).toBe('unauthorized');
      expect(await everything()).toEqual(before);
    });

    it('refuses a delivery signed for another store', async () => {
      const other = (await makeStore({}, clock)).store;
      await useSecret(other, 'the-other-stores-secret');
      const body = current.body;
      const before = await everything();
      const err = await refusal(receive(body, { [vectors.header]: signBody(body, 'the-other-stores-secret') }));
      expect(err.kind).toBe('unauthorized');
      expect(await everything()).toEqual(before);
    });
  });

  describe('our own trackers, signed as EasyPost signs them', () => {
    const detail = (datetime: string, status: string, message: string, city = 'PORTLAND') => ({
      object: 'TrackingDetail',
      message,
      description: message,
      status,
      status_detail: status === 'delivered' ? 'arrived_at_destination' : 'arrived_at_facility',
      datetime,
      source: 'USPS',
      tracking_location: { object: 'TrackingLocation', city, state: 'OR', country: 'US', zip: '97201' },
    });
    const accepted = detail('2026-11-24T16:00:00Z', 'in_transit', 'Accepted at USPS Origin Facility', 'HOUSTON');
    const arrived = detail('2026-11-25T10:00:00Z', 'in_transit', 'Arrived at USPS Regional Facility');
    const out = detail('2026-11-26T13:00:00Z', 'out_for_delivery', 'Out for Delivery');
    const delivered = detail('2026-11-26T18:00:00Z', 'delivered', 'Delivered, Front Door/Porch');

    const eventBody = (status: string, updatedAt: string, details: unknown[], over: Record<string, unknown> = {}) =>
      JSON.stringify({
        description: 'tracker.updated',
        mode: 'test',
        previous_attributes: {},
        created_at: updatedAt,
        updated_at: updatedAt,
        id: `evt_${updatedAt}`,
        user_id: 'user_1',
        status: 'pending',
        object: 'Event',
        result: {
          id: 'trk_ours',
          object: 'Tracker',
          mode: 'test',
          tracking_code: CODE,
          status,
          status_detail: status === 'delivered' ? 'arrived_at_destination' : 'arrived_at_facility',
          created_at: '2026-11-24T15:30:00Z',
          updated_at: updatedAt,
          signed_by: status === 'delivered' ? 'A LEE' : null,
          est_delivery_date: '2026-11-27T00:00:00Z',
          carrier: 'USPS',
          tracking_details: details,
          public_url: 'https://track.easypost.com/ours',
          ...over,
        },
      });

    it('applies news for our tracking code and remembers the tracker', async () => {
      clock.set('2026-11-24T16:05:00Z');
      expect(await signed(eventBody('in_transit', '2026-11-24T16:01:00Z', [accepted]))).toBe('applied');
      expect(await shipmentRow(shipmentId)).toMatchObject({
        status: 'in_transit',
        trackerId: 'trk_ours',
        firstScanAt: at('2026-11-24T16:00:00Z'),
        carrierEstimateAt: at('2026-11-27T00:00:00Z'),
        nextSyncAt: at('2026-11-24T20:05:00Z'),
      });
      const ev = await db().select().from(schema.trackingEvents).where(eq(schema.trackingEvents.shipmentId, shipmentId));
      expect(ev).toEqual([
        expect.objectContaining({
          status: 'in_transit',
          message: 'Accepted at USPS Origin Facility',
          city: 'HOUSTON',
          state: 'OR',
          country: 'US',
          postalCode: '97201',
        }),
      ]);
    });

    it('the same event twice: the second is unchanged and adds nothing', async () => {
      const body = eventBody('in_transit', '2026-11-24T16:01:00Z', [accepted]);
      expect(await signed(body)).toBe('applied');
      const before = { counts: await counts(), row: await shipmentRow(shipmentId) };
      clock.advance(30 * 60_000);
      expect(await signed(body)).toBe('unchanged');
      expect(await counts()).toEqual(before.counts);
      // only the reconciling poll is pushed back
      expect(await shipmentRow(shipmentId)).toEqual({ ...before.row, nextSyncAt: clock.now() + 4 * H });
    });

    it('finds the parcel by its tracker id once it has one, and follows it to delivery', async () => {
      expect(await signed(eventBody('in_transit', '2026-11-24T16:01:00Z', [accepted]))).toBe('applied');
      clock.set('2026-11-26T13:05:00Z');
      expect(
        await signed(
          eventBody('out_for_delivery', '2026-11-26T13:01:00Z', [accepted, arrived, out], { tracking_code: 'CHANGED-BY-CARRIER' }),
        ),
      ).toBe('applied');
      expect(await shipmentRow(shipmentId)).toMatchObject({ status: 'out_for_delivery', nextSyncAt: at('2026-11-26T13:35:00Z') });
      clock.set('2026-11-26T18:05:00Z');
      expect(await signed(eventBody('delivered', '2026-11-26T18:01:00Z', [accepted, arrived, out, delivered]))).toBe('applied');
      expect(await shipmentRow(shipmentId)).toMatchObject({
        status: 'delivered',
        deliveredAt: at('2026-11-26T18:00:00Z'),
        signedBy: 'A LEE',
        nextSyncAt: null,
        lateAt: null,
        quietAt: null,
      });
    });

    it('an older event after a newer one does not move the status back', async () => {
      clock.set('2026-11-26T18:05:00Z');
      expect(await signed(eventBody('delivered', '2026-11-26T18:01:00Z', [accepted, arrived, out, delivered]))).toBe('applied');
      const after = await shipmentRow(shipmentId);
      clock.advance(60_000);
      // a stale copy with nothing new
      expect(await signed(eventBody('out_for_delivery', '2026-11-26T13:01:00Z', [accepted, arrived, out]))).toBe('unchanged');
      expect(await shipmentRow(shipmentId)).toMatchObject({
        status: 'delivered',
        statusDetail: 'arrived_at_destination',
        deliveredAt: after.deliveredAt,
        nextSyncAt: null,
      });
      // a stale copy with an event we had not seen: the event is kept, the status is not
      const extra = detail('2026-11-25T20:00:00Z', 'in_transit', 'Departed USPS Regional Facility');
      expect(await signed(eventBody('in_transit', '2026-11-25T20:01:00Z', [accepted, extra]))).toBe('applied');
      expect(await shipmentRow(shipmentId)).toMatchObject({
        status: 'delivered',
        trackerUpdatedAt: at('2026-11-26T18:01:00Z'),
        nextSyncAt: null,
      });
      expect((await counts()).trackingEvents).toBe(5);
    });

    it('ignores events that are not about trackers, and trackers of other stores', async () => {
      const before = await everything();
      expect(await signed(JSON.stringify({ object: 'Event', description: 'batch.updated', result: { id: 'batch_1' } }))).toBe('ignored');
      expect(
        await signed(
          eventBody('in_transit', '2026-11-24T16:01:00Z', [accepted], { id: 'trk_else', tracking_code: '9400999999999999999999' }),
        ),
      ).toBe('ignored');
      expect(await everything()).toEqual(before);

      // another store follows the same tracking code: only the store named in the URL is touched
      const other = (await makeStore({}, clock)).store;
      await useSecret(other, 'the-other-stores-secret');
      const body = eventBody('in_transit', '2026-11-24T16:01:00Z', [accepted]);
      expect(await receive(body, { 'x-hmac-signature': signBody(body, 'the-other-stores-secret') }, other.slug)).toBe('ignored');
      expect((await shipmentRow(shipmentId)).status).toBe('unknown');
    });

    it('a correctly signed body that is not JSON is refused (the client’s check parses it too) and writes nothing', async () => {
      // @easypost/api's validateWebhook JSON.parses the body after the HMAC matches and reports a
      // parse failure as a signature mismatch, so this never reaches our own 'invalid' answer.
      const before = await everything();
      const err = await refusal(signed('not json at all'));
      expect(['unauthorized', 'invalid']).toContain(err.kind);
      expect(await everything()).toEqual(before);
    });

    it.each([
      ['JSON that is not an Event', JSON.stringify({ object: 'Tracker', id: 'trk_1' })],
      ['a tracker event without a tracker', JSON.stringify({ object: 'Event', description: 'tracker.updated' })],
      [
        'a tracker event with a broken tracker',
        JSON.stringify({
          object: 'Event',
          description: 'tracker.updated',
          result: { id: 'trk_ours', tracking_code: CODE, status: 'in_transit', updated_at: 'yesterday' },
        }),
      ],
    ])('refuses %s, correctly signed, as invalid, writing nothing', async (_name, body) => {
      const before = await everything();
      const err = await refusal(signed(body));
      expect(err.kind).toBe('invalid');
      expect(await everything()).toEqual(before);
    });
  });

  it('stores the official test-vector secret "sécret" as a store’s webhook secret', async () => {
    // EasyPost lets the merchant choose the webhook secret; its own test vector uses six characters.
    const r = await createStore({ slug: 'vector-store', name: 'Vector', webhookSecret: vectors.secret }, clock);
    expect(r.webhookSecret).toBe('sécret');
    expect(await receive(current.body, { [vectors.header]: current.signature }, 'vector-store')).toBe('ignored');
  });
});
