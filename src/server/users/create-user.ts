import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { db, firstRow, isUniqueViolation, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { parseOrThrow } from '../validate.ts';

export const CreateUserInput = z.object({
  storeId: z.string().min(1),
  email: z.email().max(254),
  name: z.string().trim().max(120).optional(),
  role: z.enum(['owner', 'staff']),
  password: z.string(),
});

/** Creates a staff account for the store. The email must not be in use by any account. */
export async function createUser(
  input: z.input<typeof CreateUserInput>,
  actor: Actor,
  now: number,
): Promise<{ id: string; email: string; role: string }> {
  const v = parseOrThrow(CreateUserInput, input, 'The account could not be created');
  const problem = passwordProblem(v.password, v.email);
  if (problem) throw new AppError('invalid', problem, [{ pointer: '/password', detail: problem }]);
  const store = await firstRow(db().select({ id: schema.stores.id }).from(schema.stores).where(eq(schema.stores.id, v.storeId)));
  if (!store) throw new AppError('not_found', 'No such store');
  const passwordHash = await hashPassword(v.password);
  const id = newId();
  const emailNorm = v.email.trim().toLowerCase();
  try {
    await transaction(async (tx) => {
      await tx.insert(schema.users).values({
        id,
        storeId: v.storeId,
        email: v.email.trim(),
        emailNorm,
        name: v.name ?? null,
        role: v.role,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, { storeId: v.storeId, actor, action: 'user.created', detail: { email: emailNorm, role: v.role }, now });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', 'An account with this email exists already', [{ pointer: '/email', detail: 'in use' }]);
    throw err;
  }
  return { id, email: emailNorm, role: v.role };
}
