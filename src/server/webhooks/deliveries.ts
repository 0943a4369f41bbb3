// The deliveries' state machine, each step one short conditional write. At least once, even across
// crashes and several senders:
//   pending ──claim (lease, attempts + 1)──▶ sending ──▶ succeeded | pending (retry later) | failed
// A row whose lease ran out while "sending" may or may not have reached the receiver (the sender
// died mid-POST): it goes back to pending and is sent again with the same webhook-id, which is what
// receivers dedupe on. For an event, "maybe twice, same id" beats "maybe lost".
// Leases run on the database's clock (leases.ts), `now` (the sender's clock) for the rest; an
// attempt is recorded only while its lease is still the sender's and unexpired.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { affectedRows, db, firstRow, schema, transaction, type Tx } from '../db.ts';
import { leaseExpired, leaseHeldBy, leaseUntilIn } from '../leases.ts';
import { newId } from '../ids.ts';
import { DISABLE_AFTER_MS, nextAttemptAt } from './retry-schedule.ts';

const d = schema.webhookDeliveries;
const e = schema.webhookEndpoints;
const at = schema.webhookDeliveryAttempts;

/** How many attempts each delivery keeps (older ones are deleted as new ones come). */
export const ATTEMPTS_KEPT = 20;

export interface ClaimedDelivery {
  id: string;
  storeId: string;
  endpointId: string;
  eventId: string;
  type: string;
  body: string;
  attempts: number;
}

/**
 * Puts deliveries whose sender died mid-send back in the queue (due at once), each with an attempt
 * saying so (what reached the receiver is unknown); returns how many.
 */
export async function recoverExpiredDeliveries(now: number): Promise<number> {
  const any = await firstRow(db().select({ id: d.id }).from(d).where(leaseExpired(d.leaseUntil)).limit(1));
  if (!any) return 0; // idle rounds only read
  return transaction(async (tx) => {
    const error = 'sender stopped mid-delivery; sent again';
    const recovered = await tx
      .update(d)
      .set({ status: 'pending', leaseOwner: null, leaseUntil: null, nextAttemptAt: now, lastAnswer: error })
      .where(and(eq(d.status, 'sending'), leaseExpired(d.leaseUntil)))
      .returning({ id: d.id, storeId: d.storeId, eventId: d.eventId, attempts: d.attempts, startedAt: d.lastAttemptAt });
    for (const r of recovered)
      await addAttempt(tx, {
        deliveryId: r.id,
        storeId: r.storeId,
        attempt: r.attempts,
        webhookId: r.eventId,
        request: null,
        startedAt: r.startedAt ?? now,
        durationMs: null,
        status: null,
        answer: null,
        error,
      });
    return recovered.length;
  });
}

/** What was sent in one attempt. */
interface AttemptRequest {
  url: string;
  /** The request headers, credentials already masked. */
  headers: Record<string, string>;
  bodySha256: string;
}

/** Records one attempt of a delivery and keeps only its last ATTEMPTS_KEPT. */
async function addAttempt(
  tx: Tx,
  a: {
    deliveryId: string;
    storeId: string;
    attempt: number;
    webhookId: string;
    request: AttemptRequest | null;
    startedAt: number;
    durationMs: number | null;
    status: number | null;
    answer: string | null;
    error: string | null;
  },
): Promise<void> {
  await tx
    .insert(at)
    .values({
      id: newId(),
      storeId: a.storeId,
      deliveryId: a.deliveryId,
      attempt: a.attempt,
      webhookId: a.webhookId,
      url: a.request?.url ?? '',
      requestHeaders: a.request?.headers ?? {},
      bodySha256: a.request?.bodySha256 ?? '',
      startedAt: a.startedAt,
      durationMs: a.durationMs,
      status: a.status,
      answer: a.answer?.slice(0, 2048) ?? null,
      error: a.error?.slice(0, 2048) ?? null,
    })
    .onConflictDoNothing();
  await tx.delete(at).where(and(eq(at.deliveryId, a.deliveryId), lte(at.attempt, a.attempt - ATTEMPTS_KEPT)));
}

/** Claims up to `limit` due deliveries of active endpoints for `owner` (one conditional UPDATE). */
export async function claimDeliveries(opts: { owner: string; now: number; limit: number; leaseMs: number }): Promise<ClaimedDelivery[]> {
  const { owner, now, limit, leaseMs } = opts;
  const due = () =>
    db()
      .select({ id: d.id })
      .from(d)
      .innerJoin(e, eq(e.id, d.endpointId))
      .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), eq(e.status, 'active')))
      .orderBy(asc(d.nextAttemptAt))
      .limit(limit);
  if ((await due()).length === 0) return []; // an idle sender never takes the write lock
  return transaction(async (tx) => {
    const ids = (
      await tx
        .select({ id: d.id })
        .from(d)
        .innerJoin(e, eq(e.id, d.endpointId))
        .where(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now), eq(e.status, 'active')))
        .orderBy(asc(d.nextAttemptAt))
        .limit(limit)
    ).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .update(d)
      .set({
        status: 'sending',
        leaseOwner: owner,
        leaseUntil: leaseUntilIn(leaseMs),
        attempts: sql`${d.attempts} + 1`,
        lastAttemptAt: now,
      })
      .where(and(inArray(d.id, ids), eq(d.status, 'pending')))
      .returning({
        id: d.id,
        storeId: d.storeId,
        endpointId: d.endpointId,
        eventId: d.eventId,
        type: d.type,
        body: d.body,
        attempts: d.attempts,
      });
  });
}

/** What one attempt came to. `retryAt` overrides the schedule (a 429's Retry-After). */
export interface AttemptResult {
  ok: boolean;
  status: number | null;
  answer: string;
  /** What went wrong when no answer came (then `answer` says the same). */
  error?: string | null;
  durationMs: number;
  retryAt?: number;
  request: AttemptRequest;
  startedAt: number;
}

/**
 * Records an attempt's result, only if this sender still holds the row's lease (then the attempt joins the
 * delivery's history); disables an endpoint failing for days.
 */
export async function recordAttempt(row: ClaimedDelivery, owner: string, r: AttemptResult, now: number): Promise<void> {
  await transaction(async (tx) => {
    const mine = and(eq(d.id, row.id), leaseHeldBy(d.leaseOwner, d.leaseUntil, owner), eq(d.status, 'sending'));
    const history = () =>
      addAttempt(tx, {
        deliveryId: row.id,
        storeId: row.storeId,
        attempt: row.attempts,
        webhookId: row.eventId,
        request: r.request,
        startedAt: r.startedAt,
        durationMs: r.durationMs,
        status: r.status,
        answer: r.error ? null : r.answer,
        error: r.error ?? null,
      });
    const last = {
      lastStatus: r.status,
      lastAnswer: r.answer.slice(0, 2048),
      lastDurationMs: r.durationMs,
      leaseOwner: null,
      leaseUntil: null,
    };
    if (r.ok) {
      if (
        affectedRows(
          await tx
            .update(d)
            .set({ ...last, status: 'succeeded', deliveredAt: now })
            .where(mine),
        ) === 1
      ) {
        await history();
        await tx
          .update(e)
          .set({ failingSince: null })
          .where(and(eq(e.id, row.endpointId), sql`${e.failingSince} is not null`));
      }
      return;
    }
    const next = r.retryAt ?? nextAttemptAt(row.attempts, now);
    const moved = affectedRows(
      await tx
        .update(d)
        .set(next === null ? { ...last, status: 'failed' } : { ...last, status: 'pending', nextAttemptAt: next })
        .where(mine),
    );
    if (moved !== 1) return;
    await history();
    await tx
      .update(e)
      .set({ failingSince: sql`coalesce(${e.failingSince}, ${now})` })
      .where(eq(e.id, row.endpointId));
    const ep = await firstRow(tx.select({ since: e.failingSince, status: e.status, url: e.url }).from(e).where(eq(e.id, row.endpointId)));
    if (ep && ep.status === 'active' && ep.since !== null && now - ep.since >= DISABLE_AFTER_MS) {
      const reason = `Every delivery failed for ${Math.round((now - ep.since) / 3_600_000)} hours (last: ${r.status ?? 'no answer'}).`;
      await tx
        .update(e)
        .set({ status: 'disabled', disabledAt: now, disabledReason: reason, updatedAt: now })
        .where(eq(e.id, row.endpointId));
      await recordAudit(tx, {
        storeId: row.storeId,
        actor: { userId: null, label: 'Waypost' },
        action: 'webhook_endpoint.disabled',
        detail: { endpointId: row.endpointId, url: ep.url, reason },
        now,
      });
    }
  });
}

/** Hands claimed rows back untouched (a sender stopping before it sent them). */
export async function releaseDeliveries(ids: string[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await transaction(async (tx) => {
    await tx
      .update(d)
      .set({ status: 'pending', leaseOwner: null, leaseUntil: null, attempts: sql`${d.attempts} - 1` })
      .where(and(inArray(d.id, ids), eq(d.leaseOwner, owner), eq(d.status, 'sending')));
  });
}
