// A store's webhook endpoints: create (the secret shown once), list, delete, rotate the secret
// with an overlap, pause and resume, send a test. The API and the back office call these same
// functions, so both accept and refuse exactly the same things.
import { and, desc, eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { config } from '../config.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { randomToken } from '../ids.ts';
import { SUBSCRIBABLE_TYPES } from '../events/catalogue.ts';
import { queueDeliveries } from '../events/record-event.ts';
import { encryptSecret } from '../security/keys.ts';
import { parseOrThrow } from '../validate.ts';
import { refuseUrl } from './address-guard.ts';

const e = schema.webhookEndpoints;
const MAX_ENDPOINTS = 20;
/** How long the previous secret keeps signing after a rotation, so receivers can switch without a gap. */
const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const EndpointInput = z.strictObject({
  url: z.string().trim().min(1, 'a URL is required').max(2000, 'at most 2,000 characters'),
  events: z
    .array(z.string())
    .min(1, 'name at least one event type, or "*"')
    .max(50)
    .refine((t) => t.every((x) => x === '*' || SUBSCRIBABLE_TYPES.includes(x)), {
      message: `each an event type (${SUBSCRIBABLE_TYPES.join(', ')}) or "*"`,
    }),
  description: z.string().trim().max(200).optional(),
});

export interface EndpointJson {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  status: string;
  disabledReason: string | null;
  secretRotatedUntil: string | null;
  createdAt: string;
}

type Row = typeof e.$inferSelect;

function toJson(r: Row, now: number): EndpointJson {
  return {
    id: r.id,
    url: r.url,
    events: r.eventTypes,
    description: r.description,
    status: r.status,
    disabledReason: r.disabledReason,
    secretRotatedUntil: r.previousSecretUntil && r.previousSecretUntil > now ? new Date(r.previousSecretUntil).toISOString() : null,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** A new signing secret: `whsec_` and 24 random bytes in base64, as Standard Webhooks writes them. */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Registers an endpoint after checking its URL (form, then the addresses its name resolves to); returns it with its secret, shown once. */
export async function createEndpoint(
  storeId: string,
  input: unknown,
  actor: Actor,
  now: number,
): Promise<EndpointJson & { secret: string }> {
  const v = parseOrThrow(EndpointInput, input, 'The endpoint was not created');
  const why = await refuseUrl(v.url, config().webhookHosts);
  if (why) throw new AppError('invalid', 'The endpoint was not created', [{ pointer: '/url', detail: `The URL ${why}.` }]);
  const secret = newSecret();
  const id = `ep_${randomToken(12)}`;
  const row = await transaction(async (tx) => {
    const count = (
      await tx
        .select({ id: e.id })
        .from(e)
        .where(and(eq(e.storeId, storeId), eq(e.kind, 'webhook')))
    ).length;
    if (count >= MAX_ENDPOINTS) throw new AppError('conflict', `A store may have at most ${MAX_ENDPOINTS} webhook endpoints.`);
    const [r] = await tx
      .insert(e)
      .values({
        id,
        storeId,
        kind: 'webhook',
        url: v.url,
        eventTypes: [...new Set(v.events)],
        description: v.description ?? null,
        secretEnc: encryptSecret(secret),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, {
      storeId,
      actor,
      action: 'webhook_endpoint.created',
      detail: { endpointId: id, url: v.url, events: v.events },
      now,
    });
    return r!;
  });
  return { ...toJson(row, now), secret };
}

/** The store's webhook endpoints (never a secret). */
export async function listEndpoints(storeId: string, now: number): Promise<EndpointJson[]> {
  const rows = await db()
    .select()
    .from(e)
    .where(and(eq(e.storeId, storeId), eq(e.kind, 'webhook')))
    .orderBy(desc(e.createdAt));
  return rows.map((r) => toJson(r, now));
}

/** One endpoint of the store, or not_found (another store's id is not found, too). */
export async function getEndpoint(storeId: string, id: string, now: number): Promise<EndpointJson> {
  const r = await firstRow(
    db()
      .select()
      .from(e)
      .where(and(eq(e.id, id), eq(e.storeId, storeId), eq(e.kind, 'webhook'))),
  );
  if (!r) throw new AppError('not_found', 'No such webhook endpoint.');
  return toJson(r, now);
}

/** Deletes an endpoint and its deliveries. */
export async function deleteEndpoint(storeId: string, id: string, actor: Actor, now: number): Promise<void> {
  await transaction(async (tx) => {
    const r = await firstRow(
      tx
        .select({ url: e.url })
        .from(e)
        .where(and(eq(e.id, id), eq(e.storeId, storeId), eq(e.kind, 'webhook'))),
    );
    if (!r) throw new AppError('not_found', 'No such webhook endpoint.');
    await tx.delete(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.endpointId, id));
    await tx.delete(e).where(eq(e.id, id));
    await recordAudit(tx, { storeId, actor, action: 'webhook_endpoint.deleted', detail: { endpointId: id, url: r.url }, now });
  });
}

/** A new secret, returned once; the old one keeps signing beside it for ROTATION_OVERLAP_MS. */
export async function rotateEndpointSecret(
  storeId: string,
  id: string,
  actor: Actor,
  now: number,
): Promise<{ secret: string; previousUntil: string }> {
  const secret = newSecret();
  await transaction(async (tx) => {
    const r = await firstRow(
      tx
        .select({ s: e.secretEnc })
        .from(e)
        .where(and(eq(e.id, id), eq(e.storeId, storeId), eq(e.kind, 'webhook'))),
    );
    if (!r) throw new AppError('not_found', 'No such webhook endpoint.');
    await tx
      .update(e)
      .set({ secretEnc: encryptSecret(secret), previousSecretEnc: r.s, previousSecretUntil: now + ROTATION_OVERLAP_MS, updatedAt: now })
      .where(eq(e.id, id));
    await recordAudit(tx, { storeId, actor, action: 'webhook_endpoint.secret_rotated', detail: { endpointId: id }, now });
  });
  return { secret, previousUntil: new Date(now + ROTATION_OVERLAP_MS).toISOString() };
}

/** Pauses (deliveries wait) or resumes (a disabled endpoint too: its waiting deliveries go out) an endpoint. */
export async function setEndpointPaused(storeId: string, id: string, paused: boolean, actor: Actor, now: number): Promise<EndpointJson> {
  return transaction(async (tx) => {
    const r = await firstRow(
      tx
        .select()
        .from(e)
        .where(and(eq(e.id, id), eq(e.storeId, storeId))),
    );
    if (!r) throw new AppError('not_found', 'No such webhook endpoint.');
    const set = paused
      ? { status: 'paused', updatedAt: now }
      : { status: 'active', failingSince: null, disabledAt: null, disabledReason: null, updatedAt: now };
    const [u] = await tx.update(e).set(set).where(eq(e.id, id)).returning();
    await recordAudit(tx, {
      storeId,
      actor,
      action: paused ? 'webhook_endpoint.paused' : 'webhook_endpoint.resumed',
      detail: { endpointId: id },
      now,
    });
    return toJson(u!, now);
  });
}

/** Queues a `webhook.test` event for this endpoint alone; returns the event's id. */
export async function sendTestEvent(storeId: string, id: string, now: number): Promise<{ eventId: string }> {
  return transaction(async (tx) => {
    const r = await firstRow(
      tx
        .select({ slug: schema.stores.slug })
        .from(e)
        .innerJoin(schema.stores, eq(schema.stores.id, e.storeId))
        .where(and(eq(e.id, id), eq(e.storeId, storeId))),
    );
    if (!r) throw new AppError('not_found', 'No such webhook endpoint.');
    const eventId = `evt_${randomToken(16)}`;
    const data = { store: r.slug, message: 'A test event from Waypost.' };
    await tx
      .insert(schema.events)
      .values({ id: eventId, storeId, type: 'webhook.test', version: 1, data, dedupeKey: `test:${eventId}`, createdAt: now });
    await queueDeliveries(tx, { id: eventId, storeId, orderId: null, type: 'webhook.test', data, createdAt: now }, [id]);
    return { eventId };
  });
}
