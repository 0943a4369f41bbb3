// Working a case: open → in progress → resolved, back to open, or reopened once resolved.
// Every change is audited; resolving or reopening changes what the shopper's page shows (a
// problem report's acknowledgement), so the page is marked stale in the same transaction.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { isUniqueViolation, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { parseOrThrow } from '../validate.ts';
import { caseForUpdate } from './case-for-update.ts';
import { CASE_STATUSES, caseStatusWords, type CaseStatus } from './queue-words.ts';

const NEXT: Record<CaseStatus, CaseStatus[]> = {
  open: ['in_progress', 'resolved'],
  in_progress: ['open', 'resolved'],
  resolved: ['open'],
};

const Input = z.object({ status: z.enum(CASE_STATUSES, 'one of open, in_progress, resolved') });

/** Moves the store's case to `status`; the same status again changes nothing. */
export async function changeCaseStatus(opts: {
  storeId: string;
  caseId: string;
  status: unknown;
  actor: Actor;
  now: number;
}): Promise<{ changed: boolean; status: CaseStatus }> {
  const { status: to } = parseOrThrow(Input, { status: opts.status }, 'Choose a status');
  return transaction(async (tx) => {
    const c = await caseForUpdate(tx, opts.storeId, opts.caseId);
    const from = c.status as CaseStatus;
    if (from === to) return { changed: false, status: to };
    if (!NEXT[from]?.includes(to))
      throw new AppError(
        'invalid',
        `A case that is ${caseStatusWords(from).toLowerCase()} cannot become ${caseStatusWords(to).toLowerCase()}`,
        [{ pointer: '/status', detail: `not allowed from ${from}` }],
      );
    try {
      await tx
        .update(schema.cases)
        .set({ status: to, resolvedAt: to === 'resolved' ? opts.now : null, updatedAt: opts.now })
        .where(eq(schema.cases.id, c.id));
    } catch (err) {
      // Reopening while a newer case for the same parcel and problem is open (one open case each).
      if (isUniqueViolation(err))
        throw new AppError('conflict', 'A newer case about the same parcel and problem is open; work on that one instead.');
      throw err;
    }
    await recordAudit(tx, {
      storeId: opts.storeId,
      actor: opts.actor,
      action: 'case.status_changed',
      detail: { caseId: c.id, orderNumber: c.orderNumber, from, to },
      now: opts.now,
    });
    if ((from === 'resolved') !== (to === 'resolved')) await recordPageChange(tx, opts.storeId, c.orderId, opts.now);
    return { changed: true, status: to };
  });
}
