// Passwords, sessions, sign-in with lockout, password reset and roles, on a real database.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../../src/server/auth/password.ts';
import { createPasswordReset, isResetTokenValid, resetPassword } from '../../../src/server/auth/password-reset.ts';
import { hasRole } from '../../../src/server/auth/require-role.ts';
import {
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  SESSION_LIFETIME_MS,
  validateSessionToken,
} from '../../../src/server/auth/session.ts';
import { CLIENT_LIMIT, LOCK_MS, signIn } from '../../../src/server/auth/sign-in.ts';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { isAppError } from '../../../src/server/errors.ts';
import { createUser } from '../../../src/server/users/create-user.ts';
import { setUserDisabled } from '../../../src/server/users/set-user-disabled.ts';
import { makeStore } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-23T12:00:00Z');
const actor = { userId: null, label: 'test' };
let storeId: string;
let userId: string;

beforeEach(async () => {
  await freshDatabase();
  storeId = (await makeStore()).store.id;
  userId = (await createUser({ storeId, email: 'Nora@Shop.example', role: 'owner', password: 'a-long-enough-secret' }, actor, T0)).id;
});

describe('passwords', () => {
  it('are hashed with Argon2id and verified', async () => {
    const h = await hashPassword('correct horse battery staple');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(h, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('compare in NFKC so the same password typed differently still matches', async () => {
    expect(await verifyPassword(await hashPassword('café-au-lait-1'), 'cafe\u0301-au-lait-1')).toBe(true);
  });

  it('refuse short, common and email-based passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('Password123')).toMatch(/too common/);
    expect(passwordProblem('nora-2026-secret', 'nora@shop.example')).toMatch(/email/);
    expect(passwordProblem('a perfectly fine one')).toBeNull();
  });

  it('are never stored in the clear', async () => {
    const row = (await firstRow(db().select().from(schema.users).where(eq(schema.users.id, userId))))!;
    expect(row.passwordHash).not.toContain('a-long-enough-secret');
    expect(row.emailNorm).toBe('nora@shop.example');
  });
});

describe('sessions', () => {
  it('store only the token’s hash and validate the token', async () => {
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const s = await createSession(token, userId, T0);
    expect(s.id).not.toBe(token);
    expect(s.id).toMatch(/^[0-9a-f]{64}$/);
    const rows = await db().select().from(schema.sessions);
    expect(rows.map((r) => r.id)).toEqual([s.id]);
    const v = await validateSessionToken(token, T0 + 1000);
    expect(v?.user).toMatchObject({ id: userId, storeId, role: 'owner', email: 'Nora@Shop.example' });
  });

  it('slide: a session used after half its life is extended, an unused one expires', async () => {
    const token = generateSessionToken();
    await createSession(token, userId, T0);
    const early = await validateSessionToken(token, T0 + 10 * DAY);
    expect(early!.session.expiresAt).toBe(T0 + SESSION_LIFETIME_MS);
    const late = await validateSessionToken(token, T0 + 20 * DAY);
    expect(late!.session.expiresAt).toBe(T0 + 20 * DAY + SESSION_LIFETIME_MS);
    expect(await validateSessionToken(token, T0 + 20 * DAY + SESSION_LIFETIME_MS)).toBeNull();
    expect(await db().select().from(schema.sessions)).toHaveLength(0);
  });

  it('end one by one, all at once, and when the account is disabled', async () => {
    const [a, b, c] = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
    const sa = await createSession(a, userId, T0);
    await createSession(b, userId, T0);
    await invalidateSession(sa.id);
    expect(await validateSessionToken(a, T0)).toBeNull();
    expect(await validateSessionToken(b, T0)).not.toBeNull();
    await invalidateUserSessions(userId);
    expect(await validateSessionToken(b, T0)).toBeNull();
    await createSession(c, userId, T0);
    const staff = await createUser({ storeId, email: 'sam@shop.example', role: 'staff', password: 'another-long-secret' }, actor, T0);
    await setUserDisabled(storeId, userId, true, { userId: staff.id, label: 'sam' }, T0);
    expect(await validateSessionToken(c, T0)).toBeNull();
  });

  it('refuse malformed tokens without a query', async () => {
    for (const t of ['', 'x', 'A'.repeat(32), 'a'.repeat(33)]) expect(await validateSessionToken(t, T0)).toBeNull();
  });
});

describe('sign-in', () => {
  it('gives one answer for a wrong email and a wrong password', async () => {
    const a = await signIn({ email: 'nobody@shop.example', password: 'a-long-enough-secret', client: 'c1', now: T0 });
    const b = await signIn({ email: 'nora@shop.example', password: 'wrong-wrong-wrong', client: 'c1', now: T0 });
    expect(a).toEqual({ ok: false, reason: 'invalid' });
    expect(b).toEqual({ ok: false, reason: 'invalid' });
  });

  it('starts a new session every time (tokens rotate at sign-in)', async () => {
    const a = await signIn({ email: ' NORA@shop.example ', password: 'a-long-enough-secret', client: 'c1', now: T0 });
    const b = await signIn({ email: 'nora@shop.example', password: 'a-long-enough-secret', client: 'c1', now: T0 });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.token).not.toBe(b.token);
  });

  it('locks the account after five wrong passwords, even against the right one, for 15 minutes', async () => {
    for (let i = 0; i < 4; i++)
      expect((await signIn({ email: 'nora@shop.example', password: `wrong-${i}-xxxxx`, client: `c${i}`, now: T0 })).ok).toBe(false);
    const fifth = await signIn({ email: 'nora@shop.example', password: 'wrong-5-xxxxx', client: 'c9', now: T0 });
    expect(fifth).toEqual({ ok: false, reason: 'locked', retryAt: T0 + LOCK_MS });
    expect(
      await signIn({ email: 'nora@shop.example', password: 'a-long-enough-secret', client: 'c1', now: T0 + LOCK_MS - 1 }),
    ).toMatchObject({ ok: false, reason: 'locked' });
    expect((await signIn({ email: 'nora@shop.example', password: 'a-long-enough-secret', client: 'c1', now: T0 + LOCK_MS })).ok).toBe(true);
  });

  it('rate-limits one client that tries many accounts', async () => {
    for (let i = 0; i < CLIENT_LIMIT.max; i++)
      await signIn({ email: `guess${i}@shop.example`, password: 'whatever-xxxxx', client: 'attacker', now: T0 });
    expect(await signIn({ email: 'nora@shop.example', password: 'a-long-enough-secret', client: 'attacker', now: T0 })).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
    expect((await signIn({ email: 'nora@shop.example', password: 'a-long-enough-secret', client: 'someone-else', now: T0 })).ok).toBe(true);
  });
});

describe('password reset', () => {
  it('works once, within the hour, and signs the account out everywhere', async () => {
    const session = generateSessionToken();
    await createSession(session, userId, T0);
    const { token } = await createPasswordReset('nora@shop.example', T0);
    expect(await isResetTokenValid(token, T0 + 59 * 60_000)).toBe(true);
    expect(await isResetTokenValid(token, T0 + 60 * 60_000)).toBe(false);
    await resetPassword(token, 'a-brand-new-secret', T0 + 1000);
    expect(await validateSessionToken(session, T0 + 2000)).toBeNull();
    expect((await signIn({ email: 'nora@shop.example', password: 'a-brand-new-secret', client: 'c', now: T0 + 3000 })).ok).toBe(true);
    await expect(resetPassword(token, 'yet-another-secret', T0 + 4000)).rejects.toSatisfy((e) => isAppError(e, 'invalid'));
  });

  it('refuses a weak password and keeps the link usable', async () => {
    const { token } = await createPasswordReset('nora@shop.example', T0);
    await expect(resetPassword(token, 'short', T0)).rejects.toSatisfy((e) => isAppError(e, 'invalid'));
    expect(await isResetTokenValid(token, T0)).toBe(true);
  });
});

describe('roles and accounts', () => {
  it('owners may do what staff may, not the other way round', () => {
    const owner = { id: '1', storeId, email: 'o', name: null, role: 'owner' as const };
    const staff = { ...owner, role: 'staff' as const };
    expect(hasRole(owner, 'owner') && hasRole(owner, 'staff') && hasRole(staff, 'staff')).toBe(true);
    expect(hasRole(staff, 'owner')).toBe(false);
    expect(hasRole(undefined, 'staff')).toBe(false);
  });

  it('an email can hold one account only, in any case', async () => {
    await expect(
      createUser({ storeId, email: 'NORA@shop.example', role: 'staff', password: 'a-long-enough-secret' }, actor, T0),
    ).rejects.toSatisfy((e) => isAppError(e, 'conflict'));
  });

  it('another store cannot disable this store’s account', async () => {
    const other = (await makeStore()).store.id;
    await expect(setUserDisabled(other, userId, true, actor, T0)).rejects.toSatisfy((e) => isAppError(e, 'not_found'));
  });
});
