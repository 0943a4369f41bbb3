// Internal notes on a case: for the store's staff only, never shown to the shopper. Audited.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { parseOrThrow } from '../validate.ts';
import { caseForUpdate } from './case-for-update.ts';

const Input = z.object({
  body: z.string('write the note').trim().min(1, 'write the note').max(4000, 'at most 4,000 characters'),
});

/** Adds a signed-in person's note to the store's case; returns the note's id. */
export async function addCaseNote(opts: {
  storeId: string;
  caseId: string;
  body: unknown;
  actor: Actor;
  now: number;
}): Promise<{ id: string }> {
  const { body } = parseOrThrow(Input, { body: opts.body }, 'The note is empty or too long');
  const userId = opts.actor.userId;
  if (!userId) throw new AppError('forbidden', 'Only a signed-in person can add a note');
  const id = newId();
  await transaction(async (tx) => {
    const c = await caseForUpdate(tx, opts.storeId, opts.caseId);
    await tx.insert(schema.caseNotes).values({ id, storeId: opts.storeId, caseId: c.id, userId, body, createdAt: opts.now });
    await tx.update(schema.cases).set({ updatedAt: opts.now }).where(eq(schema.cases.id, c.id));
    await recordAudit(tx, {
      storeId: opts.storeId,
      actor: opts.actor,
      action: 'case.note_added',
      detail: { caseId: c.id, orderNumber: c.orderNumber, noteId: id },
      now: opts.now,
    });
  });
  return { id };
}
