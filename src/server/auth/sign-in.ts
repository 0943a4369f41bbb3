// Sign-in with email and password. One message for any wrong email or password; five wrong
// passwords lock the account for 15 minutes; many failures from one client are rate-limited.
import { eq, sql } from 'drizzle-orm';
import { db, schema, transaction } from '../db.ts';
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
  const user = await db().select().from(schema.users).where(eq(schema.users.emailNorm, opts.email.trim().toLowerCase())).get();
  if (user?.lockedUntil && user.lockedUntil > now) {
    await countAttempt(clientKey, CLIENT_LIMIT, now);
    return { ok: false, reason: 'locked', retryAt: user.lockedUntil };
  }
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), opts.password);
  if (!user || !valid || user.disabledAt !== null) {
    await countAttempt(clientKey, CLIENT_LIMIT, now);
    if (user) {
      const locked = await transaction((tx) => {
        const r = tx
          .update(schema.users)
          .set({ failedSignIns: sql`${schema.users.failedSignIns} + 1` })
          .where(eq(schema.users.id, user.id))
          .returning({ n: schema.users.failedSignIns })
          .get();
        if (r && r.n >= LOCK_AFTER) {
          tx.update(schema.users)
            .set({ lockedUntil: now + LOCK_MS, failedSignIns: 0 })
            .where(eq(schema.users.id, user.id))
            .run();
          return true;
        }
        return false;
      });
      if (locked) return { ok: false, reason: 'locked', retryAt: now + LOCK_MS };
    }
    return { ok: false, reason: 'invalid' };
  }
  await db().update(schema.users).set({ failedSignIns: 0, lockedUntil: null }).where(eq(schema.users.id, user.id)).run();
  const token = generateSessionToken();
  const session = await createSession(token, user.id, now);
  return { ok: true, token, session, userId: user.id, storeId: user.storeId };
}
