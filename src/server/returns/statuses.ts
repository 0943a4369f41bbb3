// A return's statuses and their words. Where a return may go from each, and who moves it, is
// return-machine.ts.
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
