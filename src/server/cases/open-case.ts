// A case is work for a person at the store. At most one open case per parcel (or registered product) and kind.
import { and, eq, ne } from 'drizzle-orm';
import { firstRow, schema, type Tx } from '../db.ts';
import { caseFacts } from '../events/event-facts.ts';
import { recordEvent } from '../events/record-event.ts';
import { newId } from '../ids.ts';

export const CASE_KINDS = [
  'lost',
  'damaged',
  'return_to_sender',
  'delivery_failed',
  'missing_item',
  'wrong_item',
  'not_received',
  'low_rating',
  'return_review',
  'checkin_problem',
  'warranty_claim',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Opens a case unless one is open for the same parcel and kind; returns its id and whether it is new. */
export async function openCase(
  tx: Tx,
  c: {
    storeId: string;
    orderId: string;
    shipmentId: string | null;
    source: 'exception' | 'problem_report' | 'review' | 'checkin' | 'warranty';
    kind: CaseKind;
    message: string | null;
    /** A warranty claim's registration: one open claim per registration. */
    registrationId?: string | null;
    now: number;
  },
): Promise<{ id: string; created: boolean }> {
  // One open case per parcel (or registered product) and kind, whoever raised it (the carrier or the shopper).
  const dedupeKey = `${c.registrationId ?? c.shipmentId ?? c.orderId}:${c.kind}`;
  const inserted = await tx
    .insert(schema.cases)
    .values({
      id: newId(),
      storeId: c.storeId,
      orderId: c.orderId,
      shipmentId: c.shipmentId,
      registrationId: c.registrationId ?? null,
      source: c.source,
      kind: c.kind,
      message: c.message,
      status: 'open',
      dedupeKey,
      createdAt: c.now,
      updatedAt: c.now,
    })
    .onConflictDoNothing()
    .returning({ id: schema.cases.id });
  if (inserted[0]) {
    // The store's help desk hears of it (events out: case.opened), in the same transaction.
    const data = await caseFacts(tx, { ...c, caseId: inserted[0].id });
    if (data)
      await recordEvent(tx, {
        storeId: c.storeId,
        orderId: c.orderId,
        type: 'case.opened',
        data,
        dedupeKey: `case:${inserted[0].id}`,
        now: c.now,
      });
    return { id: inserted[0].id, created: true };
  }
  const open = (await firstRow(
    tx
      .select({ id: schema.cases.id, message: schema.cases.message })
      .from(schema.cases)
      .where(and(eq(schema.cases.dedupeKey, dedupeKey), ne(schema.cases.status, 'resolved'))),
  ))!;
  if (c.message && c.message !== open.message) {
    // The shopper wrote again: keep every word for the person who will read it.
    const message = open.message ? `${open.message}\n\n— ${new Date(c.now).toISOString()}\n${c.message}` : c.message;
    await tx.update(schema.cases).set({ message, updatedAt: c.now }).where(eq(schema.cases.id, open.id));
  }
  return { id: open.id, created: false };
}
