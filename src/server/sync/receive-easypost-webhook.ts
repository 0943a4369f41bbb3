// A webhook from EasyPost: verified against the store's secret exactly as @easypost/api's
// Utils.validateWebhook checks it (on the raw bytes), then applied. Duplicates and stale events
// are harmless: applying a snapshot is idempotent and never moves a parcel backwards.
import EasyPostClient from '@easypost/api';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { db, firstRow, groupedTransaction, prepared, schema } from '../db.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { decryptSecret } from '../security/keys.ts';
import { applyCarrierNews } from '../changes/carrier-news.ts';
import { nextSyncAfter } from '../tracking/sync-cadence.ts';
import { snapshotFromTracker, TrackerSchema } from '../carriers/easypost-tracker.ts';

const EventSchema = z.object({
  object: z.literal('Event'),
  id: z.string().optional(),
  description: z.string(),
  result: z.unknown().optional(),
});

// Only Utils is used; the key is never sent anywhere.
const utils = new EasyPostClient('webhook-verification').Utils;

export type WebhookOutcome = 'applied' | 'unchanged' | 'ignored';

/** Verifies and applies one webhook delivery for the store with this slug. */
export async function receiveEasyPostWebhook(opts: {
  slug: string;
  body: Buffer;
  headers: Record<string, string>;
  now: number;
}): Promise<WebhookOutcome> {
  // Only what verifying needs (the whole store, branding and settings, is not read per event).
  const store = (await firstRow(q.storeBySlug().execute({ slug: opts.slug }))) ?? null;
  const sealed = store?.webhookSecretEnc ?? null;
  if (!store || !sealed) throw new AppError('unauthorized', 'Unknown store or no webhook secret');
  let parsed: unknown;
  try {
    // It parses the body it verified (after EasyPost's own normalisation), so the body is read once.
    parsed = utils.validateWebhook(opts.body, opts.headers, decryptSecret(sealed));
  } catch {
    throw new AppError('unauthorized', 'The webhook signature does not match');
  }
  const result = EventSchema.safeParse(parsed);
  if (!result.success) throw new AppError('invalid', 'The body is not an EasyPost Event');
  const event = result.data;
  if (!event.description.startsWith('tracker.')) return 'ignored';
  const tracker = TrackerSchema.safeParse(event.result);
  if (!tracker.success) throw new AppError('invalid', 'The event carries no valid Tracker');

  const t = tracker.data;
  const shipment = await followedBy(store.id, t.id, t.tracking_code);
  if (!shipment) {
    log.info({ store: store.slug, tracker: t.id }, 'webhook for a tracker we do not follow');
    return 'ignored';
  }
  const snapshot = snapshotFromTracker(t);
  // Fresh news: the reconciling poll can wait its normal time from now (set in the same transaction).
  // Bursts of webhooks share one commit (groupedTransaction); each event is still all or nothing.
  const r = await groupedTransaction((tx) =>
    applyCarrierNews(tx, {
      storeId: store.id,
      shipmentId: shipment.id,
      snapshot,
      now: opts.now,
      nextSyncFor: (status) => nextSyncAfter(status, opts.now),
    }),
  );
  return r.newEvents > 0 || r.statusBefore !== r.statusAfter ? 'applied' : 'unchanged';
}

/**
 * A shipment's tracker never changes once set (only its first tracker is kept, and shipments are
 * not deleted), so which shipment follows a tracker is kept once found by the tracker's id: a
 * carrier's burst asks the same few hundred trackers again and again. A shipment found by its
 * tracking code (its tracker not yet recorded) is looked up afresh each time.
 */
const byTrackerKept = new Map<string, { id: string }>();
async function followedBy(storeId: string, trackerId: string, trackingCode: string): Promise<{ id: string } | undefined> {
  const key = `${storeId}:${trackerId}`;
  const kept = byTrackerKept.get(key);
  if (kept) return kept;
  const byTracker = await firstRow(q.byTracker().execute({ storeId, trackerId }));
  if (byTracker) {
    if (byTrackerKept.size >= 100_000) byTrackerKept.clear();
    byTrackerKept.set(key, byTracker);
    return byTracker;
  }
  return firstRow(q.byTrackingCode().execute({ storeId, trackingCode }));
}

const shipmentWhere = (column: typeof schema.shipments.trackerId | typeof schema.shipments.trackingCode, name: string) =>
  and(eq(schema.shipments.storeId, sql.placeholder('storeId')), eq(column, sql.placeholder(name)));
/** The store's shipment a tracker follows, by the tracker's id, else by its tracking code. */
const q = {
  storeBySlug: () =>
    prepared(db(), 'webhook.storeBySlug', (d) =>
      d
        .select({ id: schema.stores.id, slug: schema.stores.slug, webhookSecretEnc: schema.stores.webhookSecretEnc })
        .from(schema.stores)
        .where(eq(schema.stores.slug, sql.placeholder('slug')))
        .prepare(),
    ),
  byTracker: () =>
    prepared(db(), 'webhook.byTracker', (d) =>
      d.select({ id: schema.shipments.id }).from(schema.shipments).where(shipmentWhere(schema.shipments.trackerId, 'trackerId')).prepare(),
    ),
  byTrackingCode: () =>
    prepared(db(), 'webhook.byTrackingCode', (d) =>
      d
        .select({ id: schema.shipments.id })
        .from(schema.shipments)
        .where(shipmentWhere(schema.shipments.trackingCode, 'trackingCode'))
        .prepare(),
    ),
};
