// The audit log: who changed what, and when. Written in the same transaction as the change.
import { and, desc, eq, lt } from 'drizzle-orm';
import { db, schema, type Tx } from '../db.ts';
import { newId } from '../ids.ts';

export interface Actor {
  /** Null for the store's own systems (API key). */
  userId: string | null;
  /** What the log shows: the user's email, or "API key wp_abc…". */
  label: string;
}

/** Appends an entry. `detail` must hold no secrets. */
export async function recordAudit(
  tx: Tx,
  e: { storeId: string; actor: Actor; action: string; detail?: Record<string, unknown>; now: number },
): Promise<void> {
  await tx.insert(schema.auditLog).values({
    id: newId(),
    storeId: e.storeId,
    userId: e.actor.userId,
    actor: e.actor.label,
    action: e.action,
    detail: e.detail ?? null,
    at: e.now,
  });
}

/** The store's audit entries, newest first. */
export async function listAudit(storeId: string, opts: { before?: number; limit?: number } = {}) {
  return await db()
    .select()
    .from(schema.auditLog)
    .where(
      opts.before ? and(eq(schema.auditLog.storeId, storeId), lt(schema.auditLog.at, opts.before)) : eq(schema.auditLog.storeId, storeId),
    )
    .orderBy(desc(schema.auditLog.at))
    .limit(opts.limit ?? 100);
}
