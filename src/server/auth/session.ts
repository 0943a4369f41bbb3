// Sessions the Lucia way (lucia-auth.com, "Basic session implementation"): a random token in
// the cookie, only its SHA-256 in the database, 30-day sliding expiry, revocable one by one or all.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { db, firstRow, schema, transaction } from '../db.ts';

export const SESSION_COOKIE = 'wp_session';
const DAY = 86_400_000;
export const SESSION_LIFETIME_MS = 30 * DAY;
const RENEW_WHEN_LEFT_MS = 15 * DAY;

export interface SessionUser {
  id: string;
  storeId: string;
  email: string;
  name: string | null;
  role: 'owner' | 'staff';
}

export interface Session {
  id: string;
  userId: string;
  expiresAt: number;
}

/** A new session token (20 random bytes, base32). */
export function generateSessionToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

const sessionIdOf = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** Stores a session for the user under the token's hash. */
export async function createSession(token: string, userId: string, now: number): Promise<Session> {
  const session = { id: sessionIdOf(token), userId, expiresAt: now + SESSION_LIFETIME_MS };
  await transaction((tx) => tx.insert(schema.sessions).values({ ...session, createdAt: now }));
  return session;
}

/** The session and user for a token, extending a session past half its life; null if invalid. */
export async function validateSessionToken(token: string, now: number): Promise<{ session: Session; user: SessionUser } | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdOf(token);
  const row = await firstRow(
    db()
      .select({ session: schema.sessions, user: schema.users })
      .from(schema.sessions)
      .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
      .where(eq(schema.sessions.id, id)),
  );
  if (!row) return null;
  if (now >= row.session.expiresAt || row.user.disabledAt !== null) {
    await transaction((tx) => tx.delete(schema.sessions).where(eq(schema.sessions.id, id)));
    return null;
  }
  let expiresAt = row.session.expiresAt;
  if (expiresAt - now < RENEW_WHEN_LEFT_MS) {
    expiresAt = now + SESSION_LIFETIME_MS;
    await transaction((tx) => tx.update(schema.sessions).set({ expiresAt }).where(eq(schema.sessions.id, id)));
  }
  const u = row.user;
  return {
    session: { id, userId: u.id, expiresAt },
    user: { id: u.id, storeId: u.storeId, email: u.email, name: u.name, role: u.role === 'owner' ? 'owner' : 'staff' },
  };
}

/** Ends one session (sign out). */
export async function invalidateSession(sessionId: string): Promise<void> {
  await transaction((tx) => tx.delete(schema.sessions).where(eq(schema.sessions.id, sessionId)));
}

/** Ends every session of a user (sign out everywhere, password change). */
export async function invalidateUserSessions(userId: string, exceptSessionId?: string): Promise<void> {
  const sessions = await db().select({ id: schema.sessions.id }).from(schema.sessions).where(eq(schema.sessions.userId, userId));
  for (const s of sessions) {
    if (s.id !== exceptSessionId)
      await transaction((tx) => tx.delete(schema.sessions).where(and(eq(schema.sessions.id, s.id), eq(schema.sessions.userId, userId))));
  }
}
