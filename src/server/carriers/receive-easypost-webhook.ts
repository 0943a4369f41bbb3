// A webhook from EasyPost: verified against the store's secret exactly as @easypost/api's
// Utils.validateWebhook checks it (on the raw bytes), then applied. Duplicates and stale events
// are harmless: applying a snapshot is idempotent and never moves a parcel backwards.
import EasyPostClient from '@easypost/api';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { db, schema } from '../db.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { decryptSecret } from '../security/keys.ts';
import { getStoreBySlug } from '../stores/get-store.ts';
import { applyTrackerSnapshot } from '../tracking/apply-tracker-snapshot.ts';
import { nextSyncAfter } from '../sync/sync-cadence.ts';
import { snapshotFromTracker, TrackerSchema } from './easypost-tracker.ts';

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
  const store = await getStoreBySlug(opts.slug);
  const sealed = store?.webhookSecretEnc ?? null;
  if (!store || !sealed) throw new AppError('unauthorized', 'Unknown store or no webhook secret');
  try {
    utils.validateWebhook(opts.body, opts.headers, decryptSecret(sealed));
  } catch {
    throw new AppError('unauthorized', 'The webhook signature does not match');
  }
  let event: z.infer<typeof EventSchema>;
  try {
    event = EventSchema.parse(JSON.parse(opts.body.toString('utf8')));
  } catch {
    throw new AppError('invalid', 'The body is not an EasyPost Event');
  }
  if (!event.description.startsWith('tracker.')) return 'ignored';
  const tracker = TrackerSchema.safeParse(event.result);
  if (!tracker.success) throw new AppError('invalid', 'The event carries no valid Tracker');

  const t = tracker.data;
  const shipment =
    (await db()
      .select({ id: schema.shipments.id })
      .from(schema.shipments)
      .where(and(eq(schema.shipments.storeId, store.id), eq(schema.shipments.trackerId, t.id)))
      .get()) ??
    (await db()
      .select({ id: schema.shipments.id })
      .from(schema.shipments)
      .where(and(eq(schema.shipments.storeId, store.id), eq(schema.shipments.trackingCode, t.tracking_code)))
      .get());
  if (!shipment) {
    log.info({ store: store.slug, tracker: t.id }, 'webhook for a tracker we do not follow');
    return 'ignored';
  }
  const snapshot = snapshotFromTracker(t);
  // Fresh news: the reconciling poll can wait its normal time from now (set in the same transaction).
  const r = await applyTrackerSnapshot({
    storeId: store.id,
    shipmentId: shipment.id,
    snapshot,
    now: opts.now,
    nextSyncFor: (status) => nextSyncAfter(status, opts.now),
  });
  return r.newEvents > 0 || r.statusBefore !== r.statusAfter ? 'applied' : 'unchanged';
}
