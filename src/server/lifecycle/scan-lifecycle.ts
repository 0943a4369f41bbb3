// The after-delivery scan (issue #15): for every store, the orders whose follow-up day has come and
// the products whose replenishment day has come, each decided by the pure planners and queued once
// (dedupe keys) through the message ledger: email by queueEmail, push to subscribed devices, both
// via queueNotification. Both kinds are marketing: only with consent, never to an address that
// unsubscribed. Nothing is planned during the shopper's quiet hours (push has no hold of its own);
// the next round after they end does it, well within the fortnight each message stays relevant.
import { db, schema, transaction } from '../db.ts';
import { nextSendTime } from '../messages/quiet-hours.ts';
import { queueNotification } from '../notifications/queue-notification.ts';
import { readSettings, type StoreSettings } from '../stores/settings.ts';
import { hydrate, suggestFollowUp } from './suggest-follow-up.ts';
import {
  lastFollowUpAt,
  lifecycleOrder,
  ordersDeliveredBetween,
  productDeliveredBetween,
  recordedKeys,
  reorderedSince,
  returnedProducts,
  somethingOpen,
  unsubscribed,
  type LifecycleOrder,
} from './lifecycle-facts.ts';
import { decideFollowUp, FOLLOW_UP_WINDOW_MS, followUpKey } from './plan-follow-up.ts';
import {
  decideReplenishment,
  productOfReplenishment,
  REPLENISHMENT_WINDOW_MS,
  replenishmentDueAt,
  replenishmentKey,
} from './plan-replenishment.ts';
import { replenishmentIntervals } from './replenishment-intervals.ts';

const DAY = 86_400_000;

export interface LifecycleScanResult {
  followUps: number;
  replenishments: number;
}

/** Plans and queues the follow-ups and replenishment reminders due at `now`, once each. */
export async function scanLifecycle(now: number): Promise<LifecycleScanResult> {
  const result: LifecycleScanResult = { followUps: 0, replenishments: 0 };
  const stores = await db().select({ id: schema.stores.id, settings: schema.stores.settings }).from(schema.stores);
  for (const store of stores) {
    const settings = readSettings(store.settings);
    result.followUps += await scanFollowUps(store.id, settings, now);
    result.replenishments += await scanReplenishments(store.id, settings, now);
  }
  return result;
}

async function scanFollowUps(storeId: string, settings: StoreSettings, now: number): Promise<number> {
  const policy = settings.afterDelivery;
  const dueBy = now - policy.followUpDays * DAY;
  let sent = 0;
  for (const d of await ordersDeliveredBetween(storeId, dueBy - FOLLOW_UP_WINDOW_MS, dueBy)) {
    if ((await recordedKeys(storeId, d.orderId, 'follow_up')).length) continue;
    const order = await lifecycleOrder(storeId, d.orderId);
    if (!order || !(await reachable(order, settings, now))) continue;
    const base = {
      deliveredAt: d.deliveredAt,
      now,
      policy,
      marketingConsent: order.marketingConsent,
      held: await somethingOpen(storeId, order.id),
      lastFollowUpAt: await lastFollowUpAt(storeId, order.emailNorm),
    };
    // Suggestions are the costly part: only read once everything else says yes.
    if (!decideFollowUp({ ...base, suggestions: 1 }).send) continue;
    const suggestions = await suggestFollowUp({ storeId, orderId: order.id });
    if (!decideFollowUp({ ...base, suggestions: suggestions.length }).send) continue;
    await transaction((tx) => queueNotification(tx, { storeId, orderId: order.id, kind: 'follow_up', key: followUpKey(order.id), now }));
    sent++;
  }
  return sent;
}

async function scanReplenishments(storeId: string, settings: StoreSettings, now: number): Promise<number> {
  const lead = settings.afterDelivery.replenishLeadDays;
  let sent = 0;
  for (const p of await replenishmentIntervals(storeId)) {
    // Deliveries whose reminder day (delivery + interval − lead) has come and is not yet a fortnight old.
    const dueBy = now - replenishmentDueAt(0, p.intervalDays, lead);
    const [product] = await hydrate(storeId, [p.productId]);
    for (const d of await productDeliveredBetween(storeId, p.productId, dueBy - REPLENISHMENT_WINDOW_MS, dueBy)) {
      const recorded = await recordedKeys(storeId, d.orderId, 'replenishment');
      if (recorded.some((k) => productOfReplenishment(k, d.orderId) === p.productId)) continue;
      const order = await lifecycleOrder(storeId, d.orderId);
      if (!order || !(await reachable(order, settings, now))) continue;
      const decision = decideReplenishment({
        dueAt: replenishmentDueAt(d.deliveredAt, p.intervalDays, lead),
        now,
        marketingConsent: order.marketingConsent,
        reordered: await reorderedSince(order, p.productId),
        returned: (await returnedProducts(storeId, order.id)).has(p.productId),
        held: await somethingOpen(storeId, order.id),
        url: product?.url ?? null,
      });
      if (!decision.send) continue;
      const key = replenishmentKey(order.id, p.productId);
      await transaction((tx) => queueNotification(tx, { storeId, orderId: order.id, kind: 'replenishment', key, now }));
      sent++;
    }
  }
  return sent;
}

/** Marketing may reach this customer now: consent given, not unsubscribed, outside their quiet hours. */
async function reachable(order: LifecycleOrder, settings: StoreSettings, now: number): Promise<boolean> {
  if (!order.marketingConsent) return false;
  if (await unsubscribed(order.storeId, order.emailNorm)) return false;
  const quiet = settings.notifications.quietHours;
  return !quiet.enabled || nextSendTime(now, order.timeZone ?? settings.timeZone, quiet) <= now;
}
