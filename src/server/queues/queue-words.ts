// The words staff read for the queues' codes: case kinds, sources and statuses, notice kinds.
import type { CaseKind } from '../cases/open-case.ts';
import type { NoticeKind } from '../notices/notice-kinds.ts';

export const CASE_STATUSES = ['open', 'in_progress', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_KIND_WORDS: Record<CaseKind, string> = {
  lost: 'Lost by the carrier',
  damaged: 'Damaged',
  return_to_sender: 'Returning to the store',
  delivery_failed: 'Delivery failed',
  missing_item: 'Item missing',
  wrong_item: 'Wrong item',
  not_received: 'Not received',
  low_rating: 'Review: low rating or a problem',
  return_review: 'Return to approve',
  checkin_problem: 'Check-in: something was wrong',
  warranty_claim: 'Warranty claim',
};

export const CASE_SOURCE_WORDS: Record<string, string> = {
  exception: 'Carrier exception',
  problem_report: 'Shopper’s report',
  review: 'Shopper’s review',
  return: 'Return request',
  checkin: 'Shopper’s check-in answer',
  warranty: 'Shopper’s warranty claim',
};

const CASE_STATUS_WORDS: Record<CaseStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
};

export const NOTICE_KIND_WORDS: Record<NoticeKind, string> = {
  late: 'Late',
  stalled: 'Stalled',
  not_scanned: 'Not scanned',
  exception: 'Exception',
  delayed_dispatch: 'Delayed dispatch',
};

/** A case kind in words (an unknown code as it is). */
export function caseKindWords(kind: string): string {
  return (CASE_KIND_WORDS as Record<string, string>)[kind] ?? kind;
}

/** A case status in words. */
export function caseStatusWords(status: string): string {
  return (CASE_STATUS_WORDS as Record<string, string>)[status] ?? status;
}

/** A carrier's normalised status in words: "out_for_delivery" → "Out for delivery". */
export function shipmentStatusWords(status: string): string {
  const s = status.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
