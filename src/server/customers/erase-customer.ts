// A shopper's erasure request (DELETE /api/v1/customers/{email}): in one transaction, everything
// personal the store holds about that email goes, and what the store needs to keep counting
// (orders, parcels, ratings, returns, messages per kind) stays without a person behind it:
// - orders lose email, name, postal code and street (the country stays, for analytics), and their
//   links are revoked (a new access id);
// - the ledger's recipients, the parcels' "signed by", the carrier's delivery postcodes, return
//   labels and photos, push devices, suppressions, and registrations' serials and reminders go;
// - reviews stay published under "Verified buyer"; free text anywhere (reviews, cases, notes,
//   return notes, check-in answers, events out) loses every occurrence of the address and the name;
// - the audit log records the erasure with counts only.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { schema, transaction, type Tx } from '../db.ts';
import { randomToken } from '../ids.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { defaultDisplayName } from '../reviews/display-name.ts';
import { customerKey } from './customer-profile.ts';

export interface ErasureResult {
  orders: number;
}

const ERASED = '[erased]';

/** Erases the customer; `orders: 0` when the store has no order from that email (nothing changes). */
export async function eraseCustomer(e: { storeId: string; email: string; actor: Actor; now: number }): Promise<ErasureResult> {
  const emailNorm = customerKey(e.email);
  return transaction(async (tx) => {
    const orders = await tx
      .select({
        id: schema.orders.id,
        email: schema.orders.email,
        name: schema.orders.customerName,
        address: schema.orders.shippingAddress,
      })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, e.storeId), eq(schema.orders.emailNorm, emailNorm)));
    if (orders.length === 0) return { orders: 0 };
    const ids = orders.map((o) => o.id);
    const scrub = scrubberFor([
      emailNorm,
      ...orders.flatMap((o) => [
        o.email,
        o.name,
        o.address.name ?? '',
        o.address.street1 ?? '',
        o.address.street2 ?? '',
        o.address.phone ?? '',
      ]),
    ]);
    const store = e.storeId;

    for (const o of orders) {
      await tx
        .update(schema.orders)
        .set({
          email: '',
          emailNorm: '',
          customerName: '',
          postalNorm: '',
          shippingAddress: o.address.country ? { country: o.address.country } : {},
          accessId: randomToken(),
          bodyHash: '',
          marketingConsent: false,
          updatedAt: e.now,
        })
        .where(eq(schema.orders.id, o.id));
      await recordPageChange(tx, store, o.id, e.now);
    }
    const shipments = await tx
      .select({ id: schema.shipments.id })
      .from(schema.shipments)
      .where(and(eq(schema.shipments.storeId, store), inArray(schema.shipments.orderId, ids)));
    await tx
      .update(schema.shipments)
      .set({ signedBy: null })
      .where(and(eq(schema.shipments.storeId, store), inArray(schema.shipments.orderId, ids)));
    if (shipments.length)
      await tx
        .update(schema.trackingEvents)
        .set({ postalCode: null })
        .where(
          inArray(
            schema.trackingEvents.shipmentId,
            shipments.map((s) => s.id),
          ),
        );

    await scrubRows(tx, schema.messages, ids, store, (m) => ({ recipient: '', subject: scrub(m.subject), lastError: scrub(m.lastError) }));
    // The emails' links stay counted but lead nowhere (their targets carry the order's link): a 404.
    await tx
      .update(schema.messageLinks)
      .set({ url: '' })
      .where(
        and(
          eq(schema.messageLinks.storeId, store),
          inArray(
            schema.messageLinks.messageId,
            tx
              .select({ id: schema.messages.id })
              .from(schema.messages)
              .where(and(eq(schema.messages.storeId, store), inArray(schema.messages.orderId, ids))),
          ),
        ),
      );
    await scrubRows(tx, schema.reviews, ids, store, (r) => ({
      displayName: defaultDisplayName(''),
      title: scrub(r.title),
      body: scrub(r.body),
      reply: scrub(r.reply),
    }));
    await scrubRows(tx, schema.cases, ids, store, (c) => ({ message: scrub(c.message) }));
    await scrubRows(tx, schema.checkins, ids, store, (c) => ({ message: scrub(c.message) }));
    // A registration stays counted (product, dates) without its serial or the reminder it promised.
    await tx
      .update(schema.registrations)
      .set({ serial: null, reminders: false, remindAt: null, updatedAt: e.now })
      .where(and(eq(schema.registrations.storeId, store), inArray(schema.registrations.orderId, ids)));

    const cases = await tx
      .select({ id: schema.cases.id })
      .from(schema.cases)
      .where(and(eq(schema.cases.storeId, store), inArray(schema.cases.orderId, ids)));
    if (cases.length) {
      const notes = await tx
        .select()
        .from(schema.caseNotes)
        .where(
          inArray(
            schema.caseNotes.caseId,
            cases.map((c) => c.id),
          ),
        );
      for (const n of notes)
        await tx
          .update(schema.caseNotes)
          .set({ body: scrub(n.body) ?? '' })
          .where(eq(schema.caseNotes.id, n.id));
    }

    const returns = await tx
      .select()
      .from(schema.returns)
      .where(and(eq(schema.returns.storeId, store), inArray(schema.returns.orderId, ids)));
    for (const r of returns) {
      await tx
        .update(schema.returns)
        .set({ emailNorm: '', outcomeNote: scrub(r.outcomeNote), labelPdfUrl: null, labelPngUrl: null, qrCodeUrl: null })
        .where(eq(schema.returns.id, r.id));
    }
    if (returns.length) {
      const returnIds = returns.map((r) => r.id);
      const items = await tx.select().from(schema.returnItems).where(inArray(schema.returnItems.returnId, returnIds));
      const photos = items.flatMap((i) => (i.photoAssetId ? [i.photoAssetId] : []));
      for (const i of items)
        await tx
          .update(schema.returnItems)
          .set({ note: scrub(i.note), photoAssetId: null })
          .where(eq(schema.returnItems.id, i.id));
      if (photos.length)
        await tx.delete(schema.storeAssets).where(and(eq(schema.storeAssets.storeId, store), inArray(schema.storeAssets.id, photos)));
      const events = await tx.select().from(schema.returnEvents).where(inArray(schema.returnEvents.returnId, returnIds));
      for (const ev of events)
        if (ev.note)
          await tx
            .update(schema.returnEvents)
            .set({ note: scrub(ev.note) })
            .where(eq(schema.returnEvents.id, ev.id));
    }

    await tx
      .delete(schema.notificationOutbox)
      .where(and(eq(schema.notificationOutbox.storeId, store), inArray(schema.notificationOutbox.orderId, ids)));
    await tx
      .delete(schema.pushSubscriptions)
      .where(and(eq(schema.pushSubscriptions.storeId, store), inArray(schema.pushSubscriptions.orderId, ids)));
    await tx
      .delete(schema.emailSuppressions)
      .where(and(eq(schema.emailSuppressions.storeId, store), eq(schema.emailSuppressions.emailNorm, emailNorm)));
    await scrubEventsOut(tx, store, emailNorm, scrub);

    await recordAudit(tx, { storeId: store, actor: e.actor, action: 'customer.erased', detail: { orders: orders.length }, now: e.now });
    return { orders: orders.length };
  });
}

/** Replaces every occurrence of each term (case-insensitive) with "[erased]"; null stays null. */
function scrubberFor(terms: string[]): <T extends string | null>(text: T) => T {
  const words = [...new Set(terms.map((t) => t.trim()).filter((t) => t.length >= 3))].sort((a, b) => b.length - a.length);
  if (words.length === 0) return (t) => t;
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  return <T extends string | null>(text: T) => (text === null ? text : (text.replace(pattern, ERASED) as T));
}

type OrderTable = typeof schema.messages | typeof schema.reviews | typeof schema.cases | typeof schema.checkins;

async function scrubRows<T extends OrderTable>(
  tx: Tx,
  table: T,
  orderIds: string[],
  storeId: string,
  change: (row: T['$inferSelect']) => Partial<T['$inferInsert']>,
) {
  const rows = (await tx
    .select()
    .from(table as typeof schema.messages)
    .where(and(eq(table.storeId, storeId), inArray(table.orderId, orderIds)))) as T['$inferSelect'][];
  for (const row of rows)
    await tx
      .update(table as typeof schema.messages)
      .set(change(row) as never)
      .where(eq(table.id, row.id));
}

/** Events out name the shopper in their data; deliveries carry it in the signed body. */
async function scrubEventsOut(tx: Tx, storeId: string, emailNorm: string, scrub: <T extends string | null>(t: T) => T) {
  const naming = `%${emailNorm.replace(/[\\%_]/g, '\\$&')}%`;
  const events = await tx
    .select({ id: schema.events.id, data: schema.events.data })
    .from(schema.events)
    .where(and(eq(schema.events.storeId, storeId), sql`lower(cast(${schema.events.data} as text)) like ${naming} escape '\\'`));
  for (const ev of events) {
    const text = JSON.stringify(ev.data);
    const clean = scrub(text);
    if (clean !== text)
      await tx
        .update(schema.events)
        .set({ data: JSON.parse(clean) })
        .where(eq(schema.events.id, ev.id));
  }
  const deliveries = await tx
    .select({ id: schema.webhookDeliveries.id, body: schema.webhookDeliveries.body, answer: schema.webhookDeliveries.lastAnswer })
    .from(schema.webhookDeliveries)
    .where(and(eq(schema.webhookDeliveries.storeId, storeId), sql`lower(${schema.webhookDeliveries.body}) like ${naming} escape '\\'`));
  for (const d of deliveries) {
    const body = scrub(d.body);
    const answer = scrub(d.answer);
    if (body !== d.body || answer !== d.answer)
      await tx.update(schema.webhookDeliveries).set({ body, lastAnswer: answer }).where(eq(schema.webhookDeliveries.id, d.id));
  }
  // The attempts kept of each delivery hold the start of what the receiver answered, which may echo the shopper.
  const at = schema.webhookDeliveryAttempts;
  const attempts = await tx
    .select({ id: at.id, answer: at.answer })
    .from(at)
    .where(and(eq(at.storeId, storeId), sql`lower(${at.answer}) like ${naming} escape '\\'`));
  for (const a of attempts)
    await tx
      .update(at)
      .set({ answer: scrub(a.answer) })
      .where(eq(at.id, a.id));
}
