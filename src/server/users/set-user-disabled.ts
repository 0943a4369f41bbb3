import { and, eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';

/** Disables (signing them out everywhere) or re-enables one of the store's accounts. */
export async function setUserDisabled(storeId: string, userId: string, disabled: boolean, actor: Actor, now: number): Promise<void> {
  if (actor.userId === userId && disabled) throw new AppError('invalid', 'You cannot disable your own account');
  const user = await firstRow(
    db()
      .select()
      .from(schema.users)
      .where(and(eq(schema.users.id, userId), eq(schema.users.storeId, storeId))),
  );
  if (!user) throw new AppError('not_found', 'No such account');
  await transaction(async (tx) => {
    await tx
      .update(schema.users)
      .set({ disabledAt: disabled ? now : null, updatedAt: now })
      .where(eq(schema.users.id, userId));
    await recordAudit(tx, { storeId, actor, action: disabled ? 'user.disabled' : 'user.enabled', detail: { email: user.email }, now });
  });
  if (disabled) await invalidateUserSessions(userId);
}
