// The outbox's state machine, each step one short conditional write. At most once, even across
// crashes and several senders:
//   pending ──claim (lease)──▶ claimed ──mark before the POST──▶ sending ──▶ sent | pending (retry) | failed | gone
//   (a claimed row older than its TTL becomes "expired": late news is not sent at all)
// A row whose lease ran out while "claimed" was never handed to a push service: back to pending.
// A row whose lease ran out while "sending" may or may not have reached the device (the process
// died between the POST and recording it): it is marked "abandoned", never resent. For a
// notification, "never twice" beats "maybe lost".
import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { prepared, schema, transaction } from '../db.ts';

const o = schema.notificationOutbox;

export interface ClaimedRow {
  id: string;
  subscriptionId: string;
  attempts: number;
}

/** Returns expired leases to the queue (claimed) or closes them as abandoned (sending); returns counts. */
export async function recoverExpiredLeases(now: number): Promise<{ requeued: number; abandoned: number }> {
  // Idle rounds only read (no write lock): most of the time no lease has run out.
  if (!q.anyExpired().get({ now })) return { requeued: 0, abandoned: 0 };
  return transaction((tx) => {
    const requeued = tx
      .update(o)
      .set({ status: 'pending', leaseOwner: null, leaseUntil: null })
      .where(and(eq(o.status, 'claimed'), lt(o.leaseUntil, now)))
      .run().changes;
    const abandoned = tx
      .update(o)
      .set({
        status: 'abandoned',
        leaseOwner: null,
        leaseUntil: null,
        lastError: 'sender stopped while sending; not resent (at most once)',
      })
      .where(and(eq(o.status, 'sending'), lt(o.leaseUntil, now)))
      .run().changes;
    return { requeued, abandoned };
  });
}

/** Claims up to `limit` due rows for `owner` until now + leaseMs (one conditional UPDATE). */
export async function claimNotifications(opts: { owner: string; now: number; limit: number; leaseMs: number }): Promise<ClaimedRow[]> {
  const { owner, now, limit, leaseMs } = opts;
  if (!q.anyDue().get({ now })) return []; // an idle sender only reads, never takes the write lock
  return transaction((tx) => {
    const due = tx
      .select({ id: o.id })
      .from(o)
      .where(and(eq(o.status, 'pending'), lte(o.nextAttemptAt, now)))
      .orderBy(asc(o.nextAttemptAt))
      .limit(limit)
      .all()
      .map((r) => r.id);
    if (due.length === 0) return [];
    return tx
      .update(o)
      .set({ status: 'claimed', leaseOwner: owner, leaseUntil: now + leaseMs })
      .where(and(inArray(o.id, due), eq(o.status, 'pending')))
      .returning({ id: o.id, subscriptionId: o.subscriptionId, attempts: o.attempts })
      .all();
  });
}

/** Records, before the POST, that this row is being sent; false when the lease was lost (skip it). */
export async function markSending(id: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
  // One conditional statement, committed on its own before any byte leaves for the push service.
  return q.markSending().run({ id, owner, leaseUntil: now + leaseMs }).changes === 1;
}

/** Closes a claimed row that will not be sent: its news went stale (older than its TTL), or it cannot be built. */
export async function closeClaim(id: string, owner: string, status: 'expired' | 'failed', error: string | null = null): Promise<boolean> {
  return transaction(
    (tx) =>
      tx
        .update(o)
        .set({ status, lastError: error, leaseOwner: null, leaseUntil: null })
        .where(and(eq(o.id, id), eq(o.leaseOwner, owner), eq(o.status, 'claimed')))
        .run().changes === 1,
  );
}

export type Outcome =
  | { kind: 'sent' }
  | { kind: 'retry'; at: number; error: string }
  | { kind: 'failed'; error: string }
  /** The push service says the subscription is gone (404/410): forget the device. */
  | { kind: 'gone' };

/** Records what the push service answered, only if this sender still holds the row. */
export async function recordOutcome(
  row: { id: string; subscriptionId: string },
  owner: string,
  outcome: Outcome,
  now: number,
): Promise<void> {
  await transaction((tx) => {
    const mine = and(eq(o.id, row.id), eq(o.leaseOwner, owner), eq(o.status, 'sending'));
    const done = { leaseOwner: null, leaseUntil: null };
    switch (outcome.kind) {
      case 'sent':
        q.markSent().run({ id: row.id, owner, now }); // the common case, prepared once
        return;
      case 'retry':
        tx.update(o)
          .set({ ...done, status: 'pending', nextAttemptAt: outcome.at, lastError: outcome.error })
          .where(mine)
          .run();
        return;
      case 'failed':
        tx.update(o)
          .set({ ...done, status: 'failed', lastError: outcome.error })
          .where(mine)
          .run();
        return;
      case 'gone':
        // The device unsubscribed or its subscription expired: forget it (its queued rows go with it).
        tx.delete(schema.pushSubscriptions).where(eq(schema.pushSubscriptions.id, row.subscriptionId)).run();
        return;
    }
  });
}

/** Hands claimed rows back untouched (a sender stopping before it sent them). */
export async function releaseClaims(ids: string[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await transaction((tx) =>
    tx
      .update(o)
      .set({ status: 'pending', leaseOwner: null, leaseUntil: null })
      .where(and(inArray(o.id, ids), eq(o.leaseOwner, owner), eq(o.status, 'claimed')))
      .run(),
  );
}

const q = {
  anyDue: () =>
    prepared('push.anyDue', (d) =>
      d
        .select({ id: o.id })
        .from(o)
        .where(and(eq(o.status, 'pending'), lte(o.nextAttemptAt, sql.placeholder('now'))))
        .limit(1)
        .prepare(),
    ),
  anyExpired: () =>
    prepared('push.anyExpired', (d) =>
      d
        .select({ id: o.id })
        .from(o)
        .where(lt(o.leaseUntil, sql.placeholder('now')))
        .limit(1)
        .prepare(),
    ),
  markSending: () =>
    prepared('push.markSending', (d) =>
      d
        .update(o)
        .set({ status: 'sending', attempts: sql`${o.attempts} + 1`, leaseUntil: sql`${sql.placeholder('leaseUntil')}` })
        .where(and(eq(o.id, sql.placeholder('id')), eq(o.leaseOwner, sql.placeholder('owner')), eq(o.status, 'claimed')))
        .prepare(),
    ),
  markSent: () =>
    prepared('push.markSent', (d) =>
      d
        .update(o)
        .set({ status: 'sent', sentAt: sql`${sql.placeholder('now')}`, lastError: null, leaseOwner: null, leaseUntil: null })
        .where(and(eq(o.id, sql.placeholder('id')), eq(o.leaseOwner, sql.placeholder('owner')), eq(o.status, 'sending')))
        .prepare(),
    ),
};
