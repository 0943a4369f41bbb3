// The two ledger writes every email makes (marked "sending", then "sent"), built once per
// connection: in the email job's CPU profile drizzle building these updates afresh cost more than
// SQLite running them. Each holds only while the lease is the worker's and unexpired.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { affectedRows, prepared, schema, type Tx } from '../db.ts';
import { leaseHeldBy, leaseUntilIn } from '../leases.ts';

const m = schema.messages;
const ph = (name: string) => sql.placeholder(name);

/** Marks a claimed row "sending" (one more attempt, its subject and Message-ID, the lease renewed); true when it was this worker's to send. */
export async function markEmailSending(
  tx: Tx,
  p: { id: string; owner: string; subject: string; providerId: string; leaseMs: number; now: number },
): Promise<boolean> {
  const q = prepared(tx, 'email.markSending', (d) =>
    d
      .update(m)
      .set({
        status: 'sending',
        attempts: sql`${m.attempts} + 1`,
        subject: sql`${ph('subject')}`,
        providerId: sql`${ph('providerId')}`,
        leaseUntil: leaseUntilIn(ph('leaseMs')),
        updatedAt: sql`${ph('now')}`,
      })
      .where(and(eq(m.id, ph('id')), leaseHeldBy(m.leaseOwner, m.leaseUntil, ph('owner')), inArray(m.status, ['queued', 'scheduled'])))
      .prepare(),
  );
  return affectedRows(await q.execute(p)) === 1;
}

/** Records a row accepted by the SMTP server and ends its lease. */
export async function markEmailSent(tx: Tx, p: { id: string; owner: string; now: number }): Promise<void> {
  const q = prepared(tx, 'email.markSent', (d) =>
    d
      .update(m)
      .set({
        status: 'sent',
        sentAt: sql`${ph('now')}`,
        updatedAt: sql`${ph('now')}`,
        lastError: null,
        nextAttemptAt: null,
        leaseOwner: null,
        leaseUntil: null,
      })
      .where(and(eq(m.id, ph('id')), leaseHeldBy(m.leaseOwner, m.leaseUntil, ph('owner'))))
      .prepare(),
  );
  await q.execute(p);
}
