// Web push in the message ledger: each outbox row (push's delivery queue: one per device) has a
// ledger row (messages, channel push) that records what the shopper was told. The outbox keeps
// its own state machine; every change of it is copied onto the ledger row here, in the same
// transaction, so the ledger never says more or less than the outbox did.
import { inArray, sql, type SQL } from 'drizzle-orm';
import { schema, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import { MESSAGE_KINDS } from '../stores/notification-settings.ts';

const o = schema.notificationOutbox;
const m = schema.messages;

/** The ledger row for a push just queued for one device; returns its id. */
export async function recordPush(
  tx: Tx,
  p: {
    storeId: string;
    orderId: string;
    shipmentId: string | null;
    returnId: string | null;
    kind: string;
    key: string;
    subscriptionId: string;
    endpoint: string;
    language: string;
    now: number;
  },
): Promise<string> {
  const id = newId();
  await tx
    .insert(m)
    .values({
      id,
      storeId: p.storeId,
      orderId: p.orderId,
      shipmentId: p.shipmentId,
      returnId: p.returnId,
      kind: p.kind,
      channel: 'push',
      recipient: hostOf(p.endpoint),
      language: p.language,
      messageClass: (MESSAGE_KINDS as Record<string, string>)[p.kind] === 'marketing' ? 'marketing' : 'service',
      dedupeKey: `push:${p.subscriptionId}:${p.key}`,
      status: 'queued',
      providerId: p.endpoint,
      nextAttemptAt: null,
      createdAt: p.now,
      updatedAt: p.now,
    })
    .onConflictDoNothing();
  return id;
}

/** Copies the state of the outbox rows chosen by `where` onto their ledger rows. */
export async function mirrorPush(tx: Tx, where: SQL | undefined, now: number): Promise<void> {
  const of = (col: string) => sql.raw(`(select o.${col} from notification_outbox o where o.message_id = messages.id)`);
  await tx
    .update(m)
    .set({
      status: sql.raw(
        `(select case o.status when 'pending' then 'queued' when 'claimed' then 'queued' when 'abandoned' then 'failed' else o.status end from notification_outbox o where o.message_id = messages.id)`,
      ),
      attempts: of('attempts'),
      sentAt: of('sent_at'),
      lastError: of('last_error'),
      updatedAt: now,
    })
    .where(inArray(m.id, tx.select({ id: o.messageId }).from(o).where(where)));
}

/** The device is gone (404/410): its ledger rows still waiting are closed before its outbox rows go. */
export async function closePushOfDevice(tx: Tx, subscriptionId: string, now: number): Promise<void> {
  await tx
    .update(m)
    .set({ status: 'failed', lastError: 'the device unsubscribed (push service answered 404/410)', updatedAt: now })
    .where(
      inArray(
        m.id,
        tx
          .select({ id: o.messageId })
          .from(o)
          .where(sql`${o.subscriptionId} = ${subscriptionId} and ${o.status} in ('pending', 'claimed', 'sending')`),
      ),
    );
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return 'push';
  }
}
