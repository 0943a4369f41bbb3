// A review's state as its writer reads it: published, waiting for its hold to end, or not
// published and why. Writers always see what happened to their review.
import { formatDay, dayInZone } from '../../lib/dates.ts';
import type { Translator } from '../../server/i18n/translator.ts';
import { REJECT_REASONS, type RejectReason } from '../../server/reviews/publication.ts';

/** "Published", "To be published on Friday, November 27", or "Not published: spam or advertising". */
export function describeStatus(
  r: { status: string; publishAt: number | null; rejectReason: string | null },
  { t, locale }: Translator,
  timeZone: string,
): string {
  if (r.status === 'published') return t('reviews.status.published');
  if (r.status === 'pending')
    return r.publishAt
      ? t('reviews.status.pendingOn', { date: formatDay(dayInZone(r.publishAt, timeZone), locale) })
      : t('reviews.status.pending');
  const reason = (REJECT_REASONS as readonly string[]).includes(r.rejectReason ?? '') ? (r.rejectReason as RejectReason) : null;
  return t('reviews.status.rejected', { why: reason ? t(`reviews.reject.${reason}`) : t('reviews.reject.other') });
}
