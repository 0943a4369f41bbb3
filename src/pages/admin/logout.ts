// POST /admin/logout: ends this session (or, with everywhere=1, all of the user's sessions).
import type { APIRoute } from 'astro';
import { deleteSessionCookie } from '../../server/auth/cookies.ts';
import { invalidateSession, invalidateUserSessions } from '../../server/auth/session.ts';
import { readForm } from '../../server/http/read-body.ts';

export const POST: APIRoute = async ({ locals, cookies, url, request, redirect }) => {
  const form = await readForm(request);
  if (locals.session) {
    if (form.get('everywhere') === '1') await invalidateUserSessions(locals.session.userId);
    else await invalidateSession(locals.session.id);
  }
  deleteSessionCookie(cookies, url);
  return redirect('/admin/login', 303);
};
