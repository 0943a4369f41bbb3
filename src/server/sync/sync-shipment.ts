// One shipment's turn in the carrier-sync job: create its tracker if it has none (EasyPost
// dedupes a code it already tracks, so a retry after a crash cannot make two), else re-read it,
// apply what came back, and schedule the next look. Network calls happen outside transactions.
import { eq } from 'drizzle-orm';
import { classifyCarrierError, easypostFor } from '../carriers/easypost-client.ts';
import { snapshotFromTracker, TrackerSchema } from '../carriers/easypost-tracker.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { applyCarrierNews } from '../changes/carrier-news.ts';
import type { Claimed } from './claim-due-shipments.ts';
import { releaseShipment } from './claim-due-shipments.ts';
import { backoffAfter, nextSyncAfter } from '../tracking/sync-cadence.ts';

export type SyncOutcome = 'synced' | 'retry' | 'failed' | 'no_key';

/** Syncs one claimed shipment and releases its lease. */
export async function syncShipment(c: Claimed, opts: { owner: string; now: () => number }): Promise<SyncOutcome> {
  const store = await firstRow(
    db().select({ key: schema.stores.easypostKeyEnc }).from(schema.stores).where(eq(schema.stores.id, c.storeId)),
  );
  if (!store?.key) {
    // Nothing to ask the carrier with; look again later in case the store adds its key.
    await releaseShipment({
      id: c.id,
      owner: opts.owner,
      nextSyncAt: opts.now() + 6 * 3_600_000,
      attempts: c.syncAttempts,
      error: 'The store has no EasyPost API key',
    });
    return 'no_key';
  }
  try {
    const client = easypostFor(store.key);
    const raw = c.trackerId
      ? await client.Tracker.retrieve(c.trackerId)
      : await client.Tracker.create({ tracking_code: c.trackingCode, carrier: c.carrier });
    const tracker = TrackerSchema.parse(JSON.parse(JSON.stringify(raw)));
    const now = opts.now();
    const r = await applyCarrierNews({ storeId: c.storeId, shipmentId: c.id, snapshot: snapshotFromTracker(tracker), now });
    if (!c.trackerId)
      await transaction((tx) => tx.update(schema.shipments).set({ trackerId: tracker.id }).where(eq(schema.shipments.id, c.id)));
    await releaseShipment({
      id: c.id,
      owner: opts.owner,
      nextSyncAt: nextSyncAfter(r.statusAfter ?? 'unknown', now),
      attempts: 0,
      error: null,
    });
    return 'synced';
  } catch (err) {
    const { retry, message } = classifyCarrierError(err);
    const attempts = c.syncAttempts + 1;
    const now = opts.now();
    const next = retry === 'soon' ? backoffAfter(attempts, now) : now + 6 * 3_600_000;
    await releaseShipment({ id: c.id, owner: opts.owner, nextSyncAt: next, attempts, error: message });
    return retry === 'soon' ? 'retry' : 'failed';
  }
}
