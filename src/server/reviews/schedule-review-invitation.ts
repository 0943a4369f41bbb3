// Keeps a parcel's review due time on its row (indexed), so the invitation scan reads only what
// is due. Called inside the writer's transaction whenever a parcel changes.
import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../db.ts';
import type { ReviewsPolicy } from '../policies/reviews-policy.ts';
import type { ShipmentStatus } from '../tracking/statuses.ts';
import { parcelReviewableAt } from './eligibility.ts';

/** Stores when the parcel's items become reviewable (null: not while it is lost or returned). */
export async function scheduleReviewInvitation(
  tx: Tx,
  s: { id: string; status: string; deliveredAt: number | null; createdAt: number; reviewDueAt: number | null },
  policy: ReviewsPolicy,
  timeZone: string,
): Promise<void> {
  const due = parcelReviewableAt({ ...s, status: s.status as ShipmentStatus }, policy, timeZone)?.at ?? null;
  if (due !== s.reviewDueAt) await tx.update(schema.shipments).set({ reviewDueAt: due }).where(eq(schema.shipments.id, s.id));
}
