// The outbox's state machine, each step one short conditional write. At most once, even across
// crashes and several senders:
//   pending ──claim (lease)──▶ claimed ──mark before the POST──▶ sending ──▶ sent | pending (retry) | failed | gone
//   (a claimed row older than its TTL becomes "expired": late news is not sent at all)
// A row whose lease ran out while "claimed" was never handed to a push service: back to pending.
// A row whose lease ran out while "sending" may or may not have reached the device (the process
// died between the POST and recording it): it is marked "abandoned", never resent. For a
// notification, "never twice" beats "maybe lost".
// Leases run on the database's clock (leases.ts); `now` (the caller's clock, tests drive it) is
// for what is due and when things happened. Every step after the claim is conditional on the
// lease still being this sender's and unexpired, so a sender paused past its lease sends nothing.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { affectedRows, db, firstRow, prepared, schema, skipLocked, transaction, type Tx } from '../db.ts';
import { leaseExpired, leaseHeldBy, leaseUntilIn } from '../leases.ts';
import { closePushOfDevice, mirrorPush } from './push-ledger.ts';

const o = schema.notificationOutbox;

export interface ClaimedRow {
  id: string;
  subscriptionId: string;
  attempts: number;
}

/** Returns expired leases to the queue (claimed) or closes them as abandoned (sending); returns counts. */
export async function recoverExpiredLeases(now: number): Promise<{ requeued: number; abandoned: number }> {
  // Idle rounds only read (no write lock): most of the time no lease has run out.
  if (!(await firstRow(q.anyExpired().execute()))) return { requeued: 0, abandoned: 0 };
  return transaction(async (tx) => {
    const requeued = affectedRows(
      await tx
        .update(o)
        .set({ status: 'pending', leaseOwner: null, leaseUntil: null })
        .where(and(eq(o.status, 'claimed'), leaseExpired(o.leaseUntil))),
    );
    const abandoned = affectedRows(
      await tx
        .update(o)
        .set({
          status: 'abandoned',
          leaseOwner: null,
          leaseUntil: null,
          lastError: 'sender stopped while sending; not resent (at most once)',
        })
        .where(and(eq(o.status, 'sending'), leaseExpired(o.leaseUntil))),
    );
    if (abandoned)
      await mirrorPush(tx, and(eq(o.status, 'abandoned'), sql`${o.messageId} in (select id from messages where status = 'sending')`), now);
    return { requeued, abandoned };
  });
}

/** Claims up to `limit` due rows for `owner` for the next leaseMs (one conditional UPDATE). */
export async function claimNotifications(opts: { owner: string; now: number; limit: number; leaseMs: number }): Promise<ClaimedRow[]> {
  const { owner, now, limit, leaseMs } = opts;
  if (!(await firstRow(q.anyDue().execute({ now })))) return []; // an idle sender only reads, never takes the write lock
  return transaction(async (tx) => {
    const due = (
      await skipLocked(
        tx
          .select({ id: o.id })
          .from(o)
          .where(and(eq(o.status, 'pending'), lte(o.nextAttemptAt, now)))
          .orderBy(asc(o.nextAttemptAt))
          .limit(limit),
      )
    ).map((r) => r.id);
    if (due.length === 0) return [];
    return await tx
      .update(o)
      .set({ status: 'claimed', leaseOwner: owner, leaseUntil: leaseUntilIn(leaseMs) })
      .where(and(inArray(o.id, due), eq(o.status, 'pending')))
      .returning({ id: o.id, subscriptionId: o.subscriptionId, attempts: o.attempts });
  });
}

/** Records, before the POST, that this row is being sent (the lease renewed); false when the lease was lost or ran out (skip it). */
export async function markSending(id: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
  // One conditional statement, committed on its own before any byte leaves for the push service.
  return transaction(async (tx) => {
    const marked = affectedRows(await q.markSending(tx).execute({ id, owner, leaseMs })) === 1;
    if (marked) await mirrorPush(tx, eq(o.id, id), now);
    return marked;
  });
}

/** Closes a claimed row that will not be sent: its news went stale (older than its TTL), or it cannot be built. */
export async function closeClaim(id: string, owner: string, status: 'expired' | 'failed', error: string | null = null): Promise<boolean> {
  return transaction(async (tx) => {
    const closed =
      affectedRows(
        await tx
          .update(o)
          .set({ status, lastError: error, leaseOwner: null, leaseUntil: null })
          .where(and(eq(o.id, id), leaseHeldBy(o.leaseOwner, o.leaseUntil, owner), eq(o.status, 'claimed'))),
      ) === 1;
    if (closed) await mirrorPush(tx, eq(o.id, id), Date.now());
    return closed;
  });
}

export type Outcome =
  | { kind: 'sent' }
  | { kind: 'retry'; at: number; error: string }
  | { kind: 'failed'; error: string }
  /** The push service says the subscription is gone (404/410): forget the device. */
  | { kind: 'gone' };

/** Records what the push service answered, only if this sender still holds the row's lease. */
export async function recordOutcome(
  row: { id: string; subscriptionId: string },
  owner: string,
  outcome: Outcome,
  now: number,
): Promise<void> {
  await transaction(async (tx) => {
    const mine = and(eq(o.id, row.id), leaseHeldBy(o.leaseOwner, o.leaseUntil, owner), eq(o.status, 'sending'));
    const done = { leaseOwner: null, leaseUntil: null };
    switch (outcome.kind) {
      case 'sent':
        await q.markSent(tx).execute({ id: row.id, owner, now }); // the common case, prepared once
        await mirrorPush(tx, eq(o.id, row.id), now);
        return;
      case 'retry':
        await tx
          .update(o)
          .set({ ...done, status: 'pending', nextAttemptAt: outcome.at, lastError: outcome.error })
          .where(mine);
        await mirrorPush(tx, eq(o.id, row.id), now);
        return;
      case 'failed':
        await tx
          .update(o)
          .set({ ...done, status: 'failed', lastError: outcome.error })
          .where(mine);
        await mirrorPush(tx, eq(o.id, row.id), now);
        return;
      case 'gone':
        // The push service's word about the device, true whichever sender asked (so not gated on the lease).
        // The device unsubscribed or its subscription expired: forget it (its queued rows go with it).
        await mirrorPush(tx, eq(o.id, row.id), now);
        await closePushOfDevice(tx, row.subscriptionId, now);
        await tx.delete(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.id, row.subscriptionId));
        return;
    }
  });
}

/** Hands claimed rows back untouched (a sender stopping before it sent them). */
export async function releaseClaims(ids: string[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await transaction(async (tx) => {
    await tx
      .update(o)
      .set({ status: 'pending', leaseOwner: null, leaseUntil: null })
      .where(and(inArray(o.id, ids), eq(o.leaseOwner, owner), eq(o.status, 'claimed')));
  });
}

const q = {
  anyDue: () =>
    prepared(db(), 'push.anyDue', (d) =>
      d
        .select({ id: o.id })
        .from(o)
        .where(and(eq(o.status, 'pending'), lte(o.nextAttemptAt, sql.placeholder('now'))))
        .limit(1)
        .prepare(),
    ),
  anyExpired: () =>
    prepared(db(), 'push.anyExpired', (d) => d.select({ id: o.id }).from(o).where(leaseExpired(o.leaseUntil)).limit(1).prepare()),
  markSending: (tx: Tx) =>
    prepared(tx, 'push.markSending', (d) =>
      d
        .update(o)
        .set({ status: 'sending', attempts: sql`${o.attempts} + 1`, leaseUntil: leaseUntilIn(sql.placeholder('leaseMs')) })
        .where(
          and(eq(o.id, sql.placeholder('id')), leaseHeldBy(o.leaseOwner, o.leaseUntil, sql.placeholder('owner')), eq(o.status, 'claimed')),
        )
        .prepare(),
    ),
  markSent: (tx: Tx) =>
    prepared(tx, 'push.markSent', (d) =>
      d
        .update(o)
        .set({ status: 'sent', sentAt: sql`${sql.placeholder('now')}`, lastError: null, leaseOwner: null, leaseUntil: null })
        .where(
          and(eq(o.id, sql.placeholder('id')), leaseHeldBy(o.leaseOwner, o.leaseUntil, sql.placeholder('owner')), eq(o.status, 'sending')),
        )
        .prepare(),
    ),
};
