// Placeholder: the web-push branch provides the real outbox.
import type { Tx } from '../db.ts';

export type NotificationKind =
  | 'shipped'
  | 'out_for_delivery'
  | 'delivered'
  | 'delayed'
  | 'exception'
  | 'return_label_ready'
  | 'return_received'
  | 'refund_released'
  | 'review_invitation';

export interface NotificationInput {
  storeId: string;
  orderId: string;
  kind: NotificationKind;
  shipmentId?: string | null;
  returnId?: string | null;
  /** unique per event: the same key twice queues nothing more */
  key: string;
  now: number;
}

/** Queues the notification for every device following the order, once per key. Synchronous: call it inside the caller's transaction. */
export function queueNotification(tx: Tx, n: NotificationInput): void {
  void tx;
  void n;
}
