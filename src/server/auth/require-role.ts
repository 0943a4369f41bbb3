// Role checks for admin pages: owners do everything; staff work the queues and content.
import type { SessionUser } from './session.ts';

export type Role = 'owner' | 'staff';

/** True when the user may do what needs `role`. */
export function hasRole(user: SessionUser | undefined, role: Role): user is SessionUser {
  return !!user && (role === 'staff' || user.role === 'owner');
}
