// Reading the ledger: every message of an order (API and back office), the store's recent ones, and suppressions.
// Email and push are rows of `messages`; what the store's systems were told (events out) are rows of
// `webhook_deliveries`, listed beside them as channel "webhook" so an order has one record of everything.
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { db, firstRow, schema, transaction, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { normalizeOrderNumber } from '../orders/normalize.ts';

const m = schema.messages;
const d = schema.webhookDeliveries;
const ep = schema.webhookEndpoints;

/** One line of the ledger, whatever its channel. */
export interface LedgerMessage {
  id: string;
  channel: string;
  kind: string;
  recipient: string;
  status: string;
  subject: string | null;
  language: string | null;
  messageClass: string | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  /** The SMTP Message-ID, the push endpoint; null for a webhook delivery. */
  providerId: string | null;
  /** The tracking number of the parcel the message is about, if it is about one. */
  parcel: string | null;
  /** The email that told this parcel's news with another's (a split order's one dispatch email), or null. */
  coveredBy: string | null;
}

/** A ledger line as GET /api/v1/messages shows it. */
export function toMessageJson(r: LedgerMessage) {
  return {
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    to: r.recipient,
    status: r.status,
    subject: r.subject,
    language: r.language,
    class: r.messageClass,
    parcel: r.parcel,
    providerId: r.providerId,
    coveredBy: r.coveredBy,
    createdAt: new Date(r.createdAt).toISOString(),
    sentAt: r.sentAt === null ? null : new Date(r.sentAt).toISOString(),
  };
}

function fromMessage(r: typeof schema.messages.$inferSelect, parcel: string | null): LedgerMessage {
  return {
    id: r.id,
    channel: r.channel,
    kind: r.kind,
    recipient: r.recipient,
    status: r.status,
    subject: r.subject,
    language: r.language,
    messageClass: r.messageClass,
    lastError: r.lastError,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    providerId: r.providerId,
    parcel,
    coveredBy: r.coveredBy,
  };
}

/**
 * A parcel told in another email reads as that email: its status, Message-ID, subject and time
 * (sent, or superseded with it), so the record says what the shopper was told of each parcel
 * without a second email in the counts (its own status stays "covered", which nothing sends).
 */
async function withCoveringEmail(storeId: string, rows: LedgerMessage[]): Promise<LedgerMessage[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.coveredBy ? [r.coveredBy] : [])))];
  if (ids.length === 0) return rows;
  const covering = new Map(
    (
      await db()
        .select({ id: m.id, status: m.status, providerId: m.providerId, subject: m.subject, sentAt: m.sentAt, lastError: m.lastError })
        .from(m)
        .where(and(eq(m.storeId, storeId), inArray(m.id, ids)))
    ).map((c) => [c.id, c]),
  );
  return rows.map((r) => {
    const c = r.coveredBy ? covering.get(r.coveredBy) : undefined;
    return c ? { ...r, status: c.status, providerId: c.providerId, subject: c.subject, sentAt: c.sentAt, lastError: c.lastError } : r;
  });
}

/** A delivery's state in the ledger's words: pending → queued, succeeded → sent; sending and failed as they are. */
const DELIVERY_STATUS: Record<string, string> = { pending: 'queued', sending: 'sending', succeeded: 'sent', failed: 'failed' };

const deliveryColumns = {
  id: d.id,
  type: d.type,
  status: d.status,
  lastStatus: d.lastStatus,
  lastAnswer: d.lastAnswer,
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
  endpointKind: ep.kind,
  endpointUrl: ep.url,
};

function fromDelivery(r: {
  id: string;
  type: string;
  status: string;
  lastStatus: number | null;
  lastAnswer: string | null;
  createdAt: number;
  deliveredAt: number | null;
  endpointKind: string;
  endpointUrl: string;
}): LedgerMessage {
  const sent = r.status === 'succeeded';
  const lastError =
    sent || (r.lastStatus === null && r.lastAnswer === null) ? null : `${r.lastStatus ?? 'no answer'}: ${r.lastAnswer ?? ''}`.trim();
  return {
    id: r.id,
    channel: 'webhook',
    kind: r.type,
    recipient: r.endpointKind === 'klaviyo' ? 'Klaviyo' : r.endpointUrl,
    status: DELIVERY_STATUS[r.status] ?? r.status,
    subject: null,
    language: null,
    messageClass: null,
    lastError,
    createdAt: r.createdAt,
    sentAt: r.deliveredAt,
    providerId: null,
    parcel: null,
    coveredBy: null,
  };
}

/** Oldest first; equal times keep email and push before the webhook they came with. */
const byCreated = (a: LedgerMessage, b: LedgerMessage) => a.createdAt - b.createdAt;

/** Every message of the store's order with this number, every channel, oldest first; a 404 AppError when the store has no such order. */
export async function listOrderMessages(
  storeId: string,
  number: string,
): Promise<{ order: { id: string; number: string }; rows: LedgerMessage[] }> {
  const order = await firstRow(
    db()
      .select({ id: schema.orders.id, number: schema.orders.number })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.numberNorm, normalizeOrderNumber(number)))),
  );
  if (!order) throw new AppError('not_found', 'This store has no order with that number.');
  const messages = await db()
    .select({ m, parcel: schema.shipments.trackingCode })
    .from(m)
    .leftJoin(schema.shipments, eq(schema.shipments.id, m.shipmentId))
    .where(and(eq(m.storeId, storeId), eq(m.orderId, order.id)))
    .orderBy(m.createdAt);
  const deliveries = await db()
    .select(deliveryColumns)
    .from(d)
    .innerJoin(ep, and(eq(ep.id, d.endpointId), eq(ep.storeId, storeId)))
    .where(and(eq(d.storeId, storeId), eq(d.orderId, order.id)))
    .orderBy(d.createdAt);
  const told = await withCoveringEmail(
    storeId,
    messages.map((r) => fromMessage(r.m, r.parcel)),
  );
  return { order, rows: [...told, ...deliveries.map(fromDelivery)].sort(byCreated) };
}

/** The store's newest messages, every channel, optionally of one kind (email and push kinds only) or one order (by number). */
export async function listStoreMessages(
  storeId: string,
  f: { kind: string | null; order: string | null },
  limit = 200,
): Promise<{ m: LedgerMessage; number: string }[]> {
  const ofOrder = f.order ? eq(schema.orders.numberNorm, normalizeOrderNumber(f.order)) : undefined;
  const messages = await db()
    .select({ m, number: schema.orders.number, parcel: schema.shipments.trackingCode })
    .from(m)
    .innerJoin(schema.orders, eq(schema.orders.id, m.orderId))
    .leftJoin(schema.shipments, eq(schema.shipments.id, m.shipmentId))
    .where(and(eq(m.storeId, storeId), eq(schema.orders.storeId, storeId), f.kind ? eq(m.kind, f.kind) : undefined, ofOrder))
    .orderBy(desc(m.createdAt))
    .limit(limit);
  // A message kind names an email or push message; a delivery's kind is an event type.
  const deliveries = f.kind
    ? []
    : await db()
        .select({ ...deliveryColumns, number: schema.orders.number })
        .from(d)
        .innerJoin(ep, and(eq(ep.id, d.endpointId), eq(ep.storeId, storeId)))
        .innerJoin(schema.orders, and(eq(schema.orders.id, d.orderId), eq(schema.orders.storeId, storeId)))
        .where(and(eq(d.storeId, storeId), isNotNull(d.orderId), ofOrder))
        .orderBy(desc(d.createdAt))
        .limit(limit);
  const told = await withCoveringEmail(
    storeId,
    messages.map((r) => fromMessage(r.m, r.parcel)),
  );
  return [
    ...messages.map((r, i) => ({ m: told[i]!, number: r.number })),
    ...deliveries.map((r) => ({ m: fromDelivery(r), number: r.number })),
  ]
    .sort((a, b) => b.m.createdAt - a.m.createdAt)
    .slice(0, limit);
}

/** One message of the store; a parcel told in another email opens that email (the one the shopper got). */
export async function getStoreMessage(storeId: string, id: string) {
  const one = (id: string) =>
    firstRow(
      db()
        .select()
        .from(m)
        .where(and(eq(m.storeId, storeId), eq(m.id, id))),
    );
  const row = await one(id);
  return row?.coveredBy ? ((await one(row.coveredBy)) ?? row) : row;
}

/** One delivery of the store as a ledger line, with what was sent and how often it was tried (the message page of channel webhook). */
export async function getStoreDeliveryMessage(storeId: string, id: string) {
  const r = await firstRow(
    db()
      .select({ ...deliveryColumns, body: d.body, attempts: d.attempts, number: schema.orders.number })
      .from(d)
      .innerJoin(ep, and(eq(ep.id, d.endpointId), eq(ep.storeId, storeId)))
      .leftJoin(schema.orders, and(eq(schema.orders.id, d.orderId), eq(schema.orders.storeId, storeId)))
      .where(and(eq(d.storeId, storeId), eq(d.id, id))),
  );
  return r ? { message: fromDelivery(r), body: r.body, attempts: r.attempts, orderNumber: r.number } : null;
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
