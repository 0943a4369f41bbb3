// Reading the ledger: every message of an order (API and back office), the store's recent ones, and suppressions.
import { and, desc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { db, firstRow, schema, transaction, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { normalizeOrderNumber } from '../orders/normalize.ts';

const m = schema.messages;

/** A ledger row as GET /api/v1/messages shows it. */
export function toMessageJson(r: typeof schema.messages.$inferSelect) {
  return {
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    to: r.recipient,
    status: r.status,
    subject: r.subject,
    language: r.language,
    class: r.messageClass,
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt === null ? null : new Date(r.sentAt).toISOString(),
  };
}

/** Every message of the store's order with this number, oldest first; a 404 AppError when the store has no such order. */
export async function listOrderMessages(storeId: string, number: string) {
  const order = await firstRow(
    db()
      .select({ id: schema.orders.id, number: schema.orders.number })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.numberNorm, normalizeOrderNumber(number)))),
  );
  if (!order) throw new AppError('not_found', 'This store has no order with that number.');
  const rows = await db()
    .select()
    .from(m)
    .where(and(eq(m.storeId, storeId), eq(m.orderId, order.id)))
    .orderBy(m.createdAt);
  return { order, rows };
}

/** The store's newest messages, optionally of one kind or one order (by number). */
export async function listStoreMessages(storeId: string, f: { kind: string | null; order: string | null }, limit = 200) {
  return db()
    .select({ m, number: schema.orders.number })
    .from(m)
    .innerJoin(schema.orders, eq(schema.orders.id, m.orderId))
    .where(
      and(
        eq(m.storeId, storeId),
        eq(schema.orders.storeId, storeId),
        f.kind ? eq(m.kind, f.kind) : undefined,
        f.order ? eq(schema.orders.numberNorm, normalizeOrderNumber(f.order)) : undefined,
      ),
    )
    .orderBy(desc(m.createdAt))
    .limit(limit);
}

/** One message of the store. */
export async function getStoreMessage(storeId: string, id: string) {
  return firstRow(
    db()
      .select()
      .from(m)
      .where(and(eq(m.storeId, storeId), eq(m.id, id))),
  );
}

/** The store's suppressed addresses, newest first. */
export async function listSuppressions(storeId: string) {
  return db()
    .select()
    .from(schema.emailSuppressions)
    .where(eq(schema.emailSuppressions.storeId, storeId))
    .orderBy(desc(schema.emailSuppressions.createdAt));
}

/** Staff lift a suppression: the address may be emailed again. */
export async function liftSuppression(storeId: string, id: string): Promise<void> {
  await transaction(async (tx) => {
    await tx
      .delete(schema.emailSuppressions)
      .where(and(eq(schema.emailSuppressions.storeId, storeId), eq(schema.emailSuppressions.id, id)));
  });
}

/** One-click unsubscribe: no further marketing email to this address from this store (effective at once). */
export async function unsubscribe(storeId: string, emailNorm: string, now: number): Promise<void> {
  await transaction((tx) => suppressMarketing(tx, storeId, emailNorm, now, 'one-click unsubscribe'));
}

async function suppressMarketing(tx: Tx, storeId: string, emailNorm: string, now: number, detail: string): Promise<void> {
  await tx
    .insert(schema.emailSuppressions)
    .values({ id: crypto.randomUUID(), storeId, emailNorm, reason: 'unsubscribe', detail, createdAt: now })
    .onConflictDoNothing();
  // Marketing email still waiting to this address is not sent either.
  const pending = await tx
    .select({ id: m.id, recipient: m.recipient, status: m.status })
    .from(m)
    .where(and(eq(m.storeId, storeId), eq(m.channel, 'email'), eq(m.messageClass, 'marketing')));
  for (const p of pending)
    if ((p.status === 'queued' || p.status === 'scheduled') && p.recipient.trim().toLowerCase() === emailNorm)
      await tx
        .update(m)
        .set({ status: 'suppressed', nextAttemptAt: null, updatedAt: now, lastError: 'unsubscribed' })
        .where(eq(m.id, p.id));
}

/** Whether this address has stopped marketing email from this store (a bounce stops all email: see `bounced`). */
export async function marketingPreference(storeId: string, emailNorm: string): Promise<{ unsubscribed: boolean; bounced: boolean }> {
  const rows = await db()
    .select({ reason: schema.emailSuppressions.reason })
    .from(schema.emailSuppressions)
    .where(and(eq(schema.emailSuppressions.storeId, storeId), eq(schema.emailSuppressions.emailNorm, emailNorm)));
  return { unsubscribed: rows.some((r) => r.reason === 'unsubscribe'), bounced: rows.some((r) => r.reason === 'bounce') };
}

/**
 * The shopper changes their mind on their order's preferences page: marketing email stops
 * (the same suppression as one-click unsubscribe) or resumes (the unsubscribe is lifted; a bounce
 * stays, only staff lift that). Either way the change is in the store's audit log.
 */
export async function setMarketingEmail(o: {
  storeId: string;
  emailNorm: string;
  orderNumber: string;
  /** What the form posted: 'on' or 'off'; anything else is refused and changes nothing. */
  choice: string;
  now: number;
}): Promise<'on' | 'off'> {
  if (o.choice !== 'on' && o.choice !== 'off')
    throw new AppError('invalid', 'Choose on or off', [{ pointer: '/marketing', detail: 'must be on or off', code: 'choice' }]);
  const on = o.choice === 'on';
  const actor = { userId: null, label: 'Shopper (email preferences)' };
  await transaction(async (tx) => {
    if (!on) await suppressMarketing(tx, o.storeId, o.emailNorm, o.now, `preferences page, order ${o.orderNumber}`);
    else
      await tx
        .delete(schema.emailSuppressions)
        .where(
          and(
            eq(schema.emailSuppressions.storeId, o.storeId),
            eq(schema.emailSuppressions.emailNorm, o.emailNorm),
            eq(schema.emailSuppressions.reason, 'unsubscribe'),
          ),
        );
    await recordAudit(tx, {
      storeId: o.storeId,
      actor,
      action: on ? 'email.marketing_resumed' : 'email.marketing_stopped',
      detail: { email: o.emailNorm, order: o.orderNumber },
      now: o.now,
    });
  });
  return o.choice;
}
