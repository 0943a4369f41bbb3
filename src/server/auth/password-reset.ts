// Password reset by a one-time link (printed by the command line until Waypost sends email).
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { affectedRows, db, firstRow, lockRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { generateSessionToken, invalidateUserSessions } from './session.ts';
import { hashPassword, passwordProblem } from './password.ts';

const RESET_LIFETIME_MS = 60 * 60_000;
const idOf = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(`reset:${token}`)));

/** A reset token for the account (valid one hour, once). */
export async function createPasswordReset(email: string, now: number): Promise<{ token: string; userId: string }> {
  const user = await firstRow(db().select().from(schema.users).where(eq(schema.users.emailNorm, email.trim().toLowerCase())));
  if (!user) throw new AppError('not_found', `No account with the email ${email}`);
  const token = generateSessionToken();
  await transaction((tx) =>
    tx.insert(schema.passwordResets).values({ id: idOf(token), userId: user.id, expiresAt: now + RESET_LIFETIME_MS, createdAt: now }),
  );
  return { token, userId: user.id };
}

/** True when the token can still be used. */
export async function isResetTokenValid(token: string, now: number): Promise<boolean> {
  if (!/^[a-z2-7]{32}$/.test(token)) return false;
  const r = await firstRow(
    db()
      .select({ id: schema.passwordResets.id })
      .from(schema.passwordResets)
      .where(
        and(eq(schema.passwordResets.id, idOf(token)), isNull(schema.passwordResets.usedAt), gt(schema.passwordResets.expiresAt, now)),
      ),
  );
  return !!r;
}

/** Sets a new password with the token, uses the token up, and signs the account out everywhere. */
export async function resetPassword(token: string, password: string, now: number): Promise<void> {
  if (!(await isResetTokenValid(token, now)))
    throw new AppError('invalid', 'This reset link has expired or was used already', [{ pointer: '/token', detail: 'expired or used' }]);
  const reset = (await firstRow(
    db()
      .select()
      .from(schema.passwordResets)
      .where(eq(schema.passwordResets.id, idOf(token))),
  ))!;
  const user = (await firstRow(db().select().from(schema.users).where(eq(schema.users.id, reset.userId))))!;
  const problem = passwordProblem(password, user.email);
  if (problem) throw new AppError('invalid', problem, [{ pointer: '/password', detail: problem }]);
  const passwordHash = await hashPassword(password);
  await transaction(async (tx) => {
    await lockRow(tx, schema.users, user.id);
    const used = await tx
      .update(schema.passwordResets)
      .set({ usedAt: now })
      .where(and(eq(schema.passwordResets.id, reset.id), isNull(schema.passwordResets.usedAt)));
    if (affectedRows(used) !== 1) throw new AppError('invalid', 'This reset link was used already');
    await tx
      .update(schema.users)
      .set({ passwordHash, failedSignIns: 0, lockedUntil: null, updatedAt: now })
      .where(eq(schema.users.id, user.id));
    await recordAudit(tx, { storeId: user.storeId, actor: { userId: user.id, label: user.email }, action: 'user.password_reset', now });
  });
  await invalidateUserSessions(user.id);
}
