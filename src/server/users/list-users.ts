import { asc, eq } from 'drizzle-orm';
import { db, schema } from '../db.ts';

/** The store's staff accounts (no password hashes). */
export async function listUsers(storeId: string) {
  return await db()
    .select({
      id: schema.users.id,
      email: schema.users.email,
      name: schema.users.name,
      role: schema.users.role,
      disabledAt: schema.users.disabledAt,
      lockedUntil: schema.users.lockedUntil,
      createdAt: schema.users.createdAt,
    })
    .from(schema.users)
    .where(eq(schema.users.storeId, storeId))
    .orderBy(asc(schema.users.createdAt));
}
