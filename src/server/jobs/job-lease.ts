// A job that must run on one worker at a time holds a lease in the database: every worker that
// runs the job asks for it before each round; the holder gets it renewed, the others get nothing
// until the lease has run out (its holder stopped, or died without a word). The lease runs on the
// database's clock (leases.ts), so workers whose host clocks disagree still agree on it.
import { and, eq, or } from 'drizzle-orm';
import { affectedRows, schema, transaction } from '../db.ts';
import { leaseExpired, leaseUntilIn } from '../leases.ts';

const l = schema.jobLeases;

/** True when `owner` holds the job's lease for the next leaseMs (taken, or renewed). */
export async function holdJobLease(name: string, owner: string, leaseMs: number): Promise<boolean> {
  return transaction(
    async (tx) =>
      affectedRows(
        await tx
          .insert(l)
          .values({ name, owner, leaseUntil: leaseUntilIn(leaseMs) })
          .onConflictDoUpdate({
            target: l.name,
            set: { owner, leaseUntil: leaseUntilIn(leaseMs) },
            setWhere: or(eq(l.owner, owner), leaseExpired(l.leaseUntil)),
          }),
      ) > 0,
  );
}

/** Gives the lease back at once (a clean stop), so another worker need not wait for it to run out. */
export async function releaseJobLease(name: string, owner: string): Promise<void> {
  await transaction(async (tx) => {
    await tx.delete(l).where(and(eq(l.name, name), eq(l.owner, owner)));
  });
}
