// The review work the worker loop does every scan: invite whoever's items became reviewable, and
// publish held reviews whose hold has ended. Both read only due rows, by index.
import { log } from '../log.ts';
import { publishHeldReviews } from './publish-held-reviews.ts';
import { scanReviewInvitations } from './scan-review-invitations.ts';

/** One round of review jobs at `now`. */
export async function runReviewJobs(now: number): Promise<void> {
  const invited = await scanReviewInvitations(now);
  const published = await publishHeldReviews(now);
  if (invited.orders + published) log.info({ ...invited, published }, 'review invitations and publications');
}
