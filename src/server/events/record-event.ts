// Records an event in the transaction of the change that caused it, and queues one delivery per
// endpoint of the store that wants its type, so the event and its deliveries commit (or roll back)
// with the change itself: nothing is told that did not happen, and nothing that happened is lost.
import { and, eq, ne, sql } from 'drizzle-orm';
import { firstRow, prepared, schema, type Tx } from '../db.ts';
import { newId, randomToken } from '../ids.ts';
import { eventType, type EventTypeName } from './catalogue.ts';

/** The body every delivery of the event sends, byte for byte on every attempt. */
function deliveryBody(e: { type: string; createdAt: number; data: unknown }): string {
  return JSON.stringify({ type: e.type, timestamp: new Date(e.createdAt).toISOString(), data: e.data });
}

/**
 * Records the event once per `dedupeKey` (the same carrier news twice is one event) and queues its
 * deliveries; returns the event's id, or null when it had been recorded already.
 */
export async function recordEvent(
  tx: Tx,
  e: {
    storeId: string;
    /** The order the event is about (null: none), so the order's ledger lists its deliveries. */
    orderId: string | null;
    type: EventTypeName;
    data: Record<string, unknown>;
    dedupeKey: string;
    now: number;
  },
): Promise<string | null> {
  const def = eventType(e.type)!;
  const id = `evt_${randomToken(16)}`;
  const inserted = await firstRow(
    q.insert(tx).execute({
      id,
      storeId: e.storeId,
      type: e.type,
      version: def.version,
      data: e.data,
      dedupeKey: e.dedupeKey,
      createdAt: e.now,
    }),
  );
  if (!inserted) return null;
  const endpoints = await q.endpoints(tx).execute({ storeId: e.storeId });
  // "*" is every catalogue type a store subscribes to; the test event goes only where it is asked for.
  const wanted = endpoints.filter((p) => p.types.includes(e.type) || (p.types.includes('*') && e.type !== 'webhook.test'));
  if (wanted.length)
    await queueDeliveries(
      tx,
      { id, storeId: e.storeId, orderId: e.orderId, type: e.type, data: e.data, createdAt: e.now },
      wanted.map((p) => p.id),
    );
  return id;
}

/** Queues the event for these endpoints (a paused endpoint's deliveries wait until it resumes). */
export async function queueDeliveries(
  tx: Tx,
  event: { id: string; storeId: string; orderId: string | null; type: string; data: unknown; createdAt: number },
  endpointIds: readonly string[],
): Promise<void> {
  const body = deliveryBody(event);
  await tx
    .insert(schema.webhookDeliveries)
    .values(
      endpointIds.map((endpointId) => ({
        id: newId(),
        storeId: event.storeId,
        endpointId,
        eventId: event.id,
        orderId: event.orderId,
        type: event.type,
        body,
        status: 'pending',
        nextAttemptAt: event.createdAt,
        createdAt: event.createdAt,
      })),
    )
    .onConflictDoNothing();
}

const p = sql.placeholder;
/** Run for every event (a parcel's steps among them): built once per connection. */
const q = {
  insert: (tx: Tx) =>
    prepared(tx, 'events.insert', (d) =>
      d
        .insert(schema.events)
        .values({
          id: p('id'),
          storeId: p('storeId'),
          type: p('type'),
          version: p('version'),
          data: p('data'),
          dedupeKey: p('dedupeKey'),
          createdAt: p('createdAt'),
        })
        .onConflictDoNothing()
        .returning({ id: schema.events.id })
        .prepare(),
    ),
  endpoints: (tx: Tx) =>
    prepared(tx, 'events.endpoints', (d) =>
      d
        .select({ id: schema.webhookEndpoints.id, types: schema.webhookEndpoints.eventTypes })
        .from(schema.webhookEndpoints)
        .where(and(eq(schema.webhookEndpoints.storeId, p('storeId')), ne(schema.webhookEndpoints.status, 'disabled')))
        .prepare(),
    ),
};
