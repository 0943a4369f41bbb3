// Leases run on the database's clock (src/server/leases.ts), which a test cannot set or advance.
// To let time pass for the leases, a test moves every lease's end back by that much instead: the
// same rows then expire (or not) as they would once the database's clock had moved on.
import { isNotNull, sql } from 'drizzle-orm';
import { databaseDialect, db, dbNowMs, schema, transaction } from '../../src/server/db.ts';

const s = schema;
const LEASES = [
  { table: s.shipments, until: s.shipments.leaseUntil, column: 'leaseUntil' },
  { table: s.notificationOutbox, until: s.notificationOutbox.leaseUntil, column: 'leaseUntil' },
  { table: s.messages, until: s.messages.leaseUntil, column: 'leaseUntil' },
  { table: s.webhookDeliveries, until: s.webhookDeliveries.leaseUntil, column: 'leaseUntil' },
  { table: s.jobLeases, until: s.jobLeases.leaseUntil, column: 'leaseUntil' },
  { table: s.returns, until: s.returns.labelLeaseUntil, column: 'labelLeaseUntil' },
] as const;

/** Lets `ms` pass for every lease held (their ends move that much closer). */
export async function passLeaseTime(ms: number): Promise<void> {
  await transaction(async (tx) => {
    for (const l of LEASES)
      await tx
        .update(l.table)
        .set({ [l.column]: sql`${l.until} - ${ms}` })
        .where(isNotNull(l.until));
  });
}

/** The database's clock now, in epoch milliseconds (what lease ends are measured against). */
export async function databaseNow(): Promise<number> {
  const query = sql<number>`select ${dbNowMs()} as now`;
  // A select without a table: each driver's own raw call (node-postgres' execute, better-sqlite3's get).
  const client = db() as unknown as {
    execute(q: typeof query): Promise<{ rows: { now: number }[] }>;
    get(q: typeof query): { now: number };
  };
  const row = databaseDialect() === 'postgresql' ? (await client.execute(query)).rows[0] : client.get(query);
  return Number(row?.now);
}
