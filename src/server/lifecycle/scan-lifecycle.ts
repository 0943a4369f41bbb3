// The after-delivery scan (issue #15): for every store, the orders whose follow-up day has come and
// the products whose replenishment day has come, each decided by the pure planners and queued once
// (dedupe keys) through the message ledger; a customer's replenishment reminders due the same local
// day make one message listing them all: email by queueEmail, push to subscribed devices, both
// via queueNotification. Both kinds are marketing: only with consent, never to an address that
// unsubscribed. Nothing is planned during the shopper's quiet hours (push has no hold of its own);
// the next round after they end does it, well within the fortnight each message stays relevant.
import { dayInZone } from '../../lib/dates.ts';
import { db, schema, transaction } from '../db.ts';
import { newId } from '../ids.ts';
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
  remindedBefore,
  reorderedSince,
  returnedProducts,
  somethingOpen,
  unsubscribed,
  type LifecycleOrder,
} from './lifecycle-facts.ts';
import { decideFollowUp, FOLLOW_UP_WINDOW_MS, followUpKey } from './plan-follow-up.ts';
import {
  decideReplenishment,
  groupByDay,
  REPLENISHMENT_WINDOW_MS,
  replenishmentDayKey,
  replenishmentDueAt,
  type DueReminder,
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
  const orders = new Map<string, LifecycleOrder | null>();
  const due: DueReminder[] = [];
  for (const p of await replenishmentIntervals(storeId)) {
    // Deliveries whose reminder day (delivery + interval − lead) has come and is not yet a fortnight
    // old, and those due within the next day: a customer's reminders due later the same local day
    // come forward with the first (one message a day), so they are read too.
    const dueBy = now - replenishmentDueAt(0, p.intervalDays, lead);
    const [product] = await hydrate(storeId, [p.productId]);
    for (const d of await productDeliveredBetween(storeId, p.productId, dueBy - REPLENISHMENT_WINDOW_MS, dueBy + DAY)) {
      if (await remindedBefore(storeId, d.orderId, p.productId)) continue;
      if (!orders.has(d.orderId)) {
        const o = await lifecycleOrder(storeId, d.orderId);
        orders.set(d.orderId, o && (await reachable(o, settings, now)) ? o : null);
      }
      const order = orders.get(d.orderId);
      if (!order) continue;
      const dueAt = replenishmentDueAt(d.deliveredAt, p.intervalDays, lead);
      const decision = decideReplenishment({
        dueAt,
        // Judged as of its own day when that is still ahead today; groupByDay keeps only days already begun.
        now: Math.max(now, dueAt),
        marketingConsent: order.marketingConsent,
        reordered: await reorderedSince(order, p.productId),
        returned: (await returnedProducts(storeId, order.id)).has(p.productId),
        held: await somethingOpen(storeId, order.id),
        url: product?.url ?? null,
      });
      if (!decision.send) continue;
      const day = dayInZone(dueAt, order.timeZone ?? settings.timeZone);
      due.push({ orderId: order.id, productId: p.productId, customer: order.emailNorm, dueAt, day });
    }
  }
  let sent = 0;
  for (const group of groupByDay(due, now)) if (await remind(storeId, group, now)) sent++;
  return sent;
}

/**
 * One reminder for a customer's day: the items it covers and the message in one transaction. An
 * item already covered (a second worker, a crash and restart) is not inserted again; when none is
 * new, nothing is queued, and the key (unique per store on every channel) stops a second message.
 */
async function remind(storeId: string, group: DueReminder[], now: number): Promise<boolean> {
  const first = group[0]!;
  const key = replenishmentDayKey(first.orderId, first.day);
  return transaction(async (tx) => {
    const added = await tx
      .insert(schema.replenishmentItems)
      .values(group.map((r) => ({ id: newId(), storeId, orderId: r.orderId, productId: r.productId, messageKey: key, createdAt: now })))
      .onConflictDoNothing()
      .returning({ id: schema.replenishmentItems.id });
    if (added.length === 0) return false;
    await queueNotification(tx, { storeId, orderId: first.orderId, kind: 'replenishment', key, now });
    return true;
  });
}

/** Marketing may reach this customer now: consent given, not unsubscribed, outside their quiet hours. */
async function reachable(order: LifecycleOrder, settings: StoreSettings, now: number): Promise<boolean> {
  if (!order.marketingConsent) return false;
  if (await unsubscribed(order.storeId, order.emailNorm)) return false;
  const quiet = settings.notifications.quietHours;
  return !quiet.enabled || nextSendTime(now, order.timeZone ?? settings.timeZone, quiet) <= now;
}
