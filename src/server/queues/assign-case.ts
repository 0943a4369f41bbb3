// Who handles a case: one of the store's active staff, or nobody. Audited.
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { caseForUpdate } from './case-for-update.ts';

/** Assigns the store's case to a member of its staff (null: unassigned); the same again changes nothing. */
export async function assignCase(opts: {
  storeId: string;
  caseId: string;
  assigneeUserId: string | null;
  actor: Actor;
  now: number;
}): Promise<{ changed: boolean }> {
  const u = schema.users;
  return transaction(async (tx) => {
    const c = await caseForUpdate(tx, opts.storeId, opts.caseId);
    if (c.assigneeUserId === opts.assigneeUserId) return { changed: false };
    const email = async (id: string | null, activeOnly: boolean) => {
      if (id === null) return null;
      const user = await firstRow(
        tx
          .select({ email: u.email })
          .from(u)
          .where(and(eq(u.id, id), eq(u.storeId, opts.storeId), activeOnly ? isNull(u.disabledAt) : undefined)),
      );
      return user?.email ?? null;
    };
    const to = await email(opts.assigneeUserId, true);
    if (opts.assigneeUserId !== null && to === null)
      throw new AppError('invalid', 'That person is not on the store’s staff', [
        { pointer: '/assignee', detail: 'not an active member of this store' },
      ]);
    await tx.update(schema.cases).set({ assigneeUserId: opts.assigneeUserId, updatedAt: opts.now }).where(eq(schema.cases.id, c.id));
    await recordAudit(tx, {
      storeId: opts.storeId,
      actor: opts.actor,
      action: 'case.assigned',
      detail: { caseId: c.id, orderNumber: c.orderNumber, from: await email(c.assigneeUserId, false), to },
      now: opts.now,
    });
    return { changed: true };
  });
}
