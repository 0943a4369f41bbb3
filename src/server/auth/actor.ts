import type { Actor } from '../audit/record-audit.ts';
import type { SessionUser } from './session.ts';

/** The audit log's actor for a signed-in user. */
export function actorFor(user: SessionUser): Actor {
  return { userId: user.id, label: user.email };
}
