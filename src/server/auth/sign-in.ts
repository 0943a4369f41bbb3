// Sign-in with email and password. One message for any wrong email or password; five wrong
// passwords lock the account for 15 minutes; many failures from one client are rate-limited.
import { eq, sql } from 'drizzle-orm';
import { db, firstRow, lockRow, schema, transaction } from '../db.ts';
import { countAttempt, isRateLimited, type Limit } from '../ratelimit/rate-limit.ts';
import { dummyHash, verifyPassword } from './password.ts';
import { createSession, generateSessionToken, type Session } from './session.ts';

const LOCK_AFTER = 5;
export const LOCK_MS = 15 * 60_000;
export const CLIENT_LIMIT: Limit = { max: 20, windowMs: 15 * 60_000 };

export type SignInResult =
  | { ok: true; token: string; session: Session; userId: string; storeId: string }
  | { ok: false; reason: 'invalid' | 'locked' | 'rate_limited'; retryAt?: number };

/** Checks the credentials and, when they hold, starts a new session (a fresh token every time). */
export async function signIn(opts: { email: string; password: string; client: string; now: number }): Promise<SignInResult> {
  const { now } = opts;
  const clientKey = `signin:${opts.client}`;
  if (await isRateLimited(clientKey, CLIENT_LIMIT, now)) return { ok: false, reason: 'rate_limited' };
  const user = await firstRow(db().select().from(schema.users).where(eq(schema.users.emailNorm, opts.email.trim().toLowerCase())));
  if (user?.lockedUntil && user.lockedUntil > now) {
    await countAttempt(clientKey, CLIENT_LIMIT, now);
    return { ok: false, reason: 'locked', retryAt: user.lockedUntil };
  }
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), opts.password);
  if (!user || !valid || user.disabledAt !== null) {
    await countAttempt(clientKey, CLIENT_LIMIT, now);
    if (user) {
      const locked = await transaction(async (tx) => {
        await lockRow(tx, schema.users, user.id);
        const r = await firstRow(
          tx
            .update(schema.users)
            .set({ failedSignIns: sql`${schema.users.failedSignIns} + 1` })
            .where(eq(schema.users.id, user.id))
            .returning({ n: schema.users.failedSignIns }),
        );
        if (r && r.n >= LOCK_AFTER) {
          await tx
            .update(schema.users)
            .set({ lockedUntil: now + LOCK_MS, failedSignIns: 0 })
            .where(eq(schema.users.id, user.id));
          return true;
        }
        return false;
      });
      if (locked) return { ok: false, reason: 'locked', retryAt: now + LOCK_MS };
    }
    return { ok: false, reason: 'invalid' };
  }
  await transaction((tx) => tx.update(schema.users).set({ failedSignIns: 0, lockedUntil: null }).where(eq(schema.users.id, user.id)));
  const token = generateSessionToken();
  const session = await createSession(token, user.id, now);
  return { ok: true, token, session, userId: user.id, storeId: user.storeId };
}
