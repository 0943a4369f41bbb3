// The session cookie: HttpOnly, SameSite=Lax, Secure on https (and on localhost, which browsers
// treat as secure), path /, expiring with the session.
import type { AstroCookies } from 'astro';
import { SESSION_COOKIE } from './session.ts';

/** Sets the session cookie. */
export function setSessionCookie(cookies: AstroCookies, url: URL, token: string, expiresAt: number): void {
  cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:' || url.hostname === 'localhost',
    path: '/',
    expires: new Date(expiresAt),
  });
}

/** Removes the session cookie. */
export function deleteSessionCookie(cookies: AstroCookies, url: URL): void {
  cookies.set(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:' || url.hostname === 'localhost',
    path: '/',
    maxAge: 0,
  });
}
