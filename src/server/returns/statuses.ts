// A return's statuses and what they mean for the shopper, the staff and the rules.
export const RETURN_STATUSES = [
  'requested',
  'approved',
  'label_ready',
  'in_transit',
  'received',
  'refunded',
  'credited',
  'exchanged',
  'rejected',
  'cancelled',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Statuses whose units no longer count as returned (the shopper may return them again). */
export const VOID_STATUSES: readonly ReturnStatus[] = ['rejected', 'cancelled'];
/** Final outcomes: the money (or the exchange) is released. */
export const OUTCOME_STATUSES: readonly ReturnStatus[] = ['refunded', 'credited', 'exchanged'];

/**
 * The outcomes a return may be settled with, by the resolution the shopper was promised: what was
 * promised, or money instead (an exchange whose variant is gone, credit the shopper asked to have
 * refunded). Never less than was promised: a refund is never settled as store credit.
 */
const SETTLEMENTS: Record<string, readonly ReturnStatus[]> = {
  refund: ['refunded'],
  store_credit: ['credited', 'refunded'],
  exchange: ['exchanged', 'refunded', 'credited'],
};

/** The outcome statuses a return with this resolution may end in (the first is the one promised). */
export function allowedOutcomes(resolution: string): readonly ReturnStatus[] {
  return SETTLEMENTS[resolution] ?? ['refunded'];
}

/** The outcome status a resolution ends in. */
export function outcomeFor(resolution: string): ReturnStatus {
  return resolution === 'store_credit' ? 'credited' : resolution === 'exchange' ? 'exchanged' : 'refunded';
}

export const STATUS_WORDS: Record<ReturnStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  label_ready: 'Label ready',
  in_transit: 'On its way back',
  received: 'Received',
  refunded: 'Refunded',
  credited: 'Store credit issued',
  exchanged: 'Exchange sent',
  rejected: 'Not accepted',
  cancelled: 'Cancelled',
};
