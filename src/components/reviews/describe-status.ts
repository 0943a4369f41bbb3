// A review's state as its writer reads it: published, waiting for its hold to end, or not
// published and why. Writers always see what happened to their review.
import { formatDay, dayInZone } from '../../lib/dates.ts';
import { REJECT_REASON_WORDS, type RejectReason } from '../../server/reviews/publication.ts';

/** "Published", "To be published on Friday, November 27", or "Not published: spam or advertising". */
export function describeStatus(
  r: { status: string; publishAt: number | null; rejectReason: string | null },
  locale: string,
  timeZone: string,
): string {
  if (r.status === 'published') return 'Your review is published.';
  if (r.status === 'pending')
    return r.publishAt
      ? `Your review will be published on ${formatDay(dayInZone(r.publishAt, timeZone), locale)}.`
      : 'Your review will be published soon.';
  const why = REJECT_REASON_WORDS[r.rejectReason as RejectReason] ?? 'it breaks a content rule';
  return `Your review was not published: ${why.toLowerCase()}. You can edit it and send it again.`;
}
