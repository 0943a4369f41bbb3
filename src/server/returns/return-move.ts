// What a writer reports after it moved a return: plain facts, written in the same transaction.
// What follows from them (history, messages, audit, the pages) is decided by the caller's
// ReturnMoved, so this concept never needs to know who listens.
import type { Actor } from '../audit/record-audit.ts';
import type { Tx } from '../db.ts';
import type { ReturnStatus } from './statuses.ts';

/** One line the return's history gains: what happened, who the history names, an optional note. */
export interface MoveStep {
  kind: string;
  actor: string;
  note?: string | null;
}

/** A return that moved (or gained a step on the way: the carrier's scan of a rejected return's parcel). */
export interface ReturnMove {
  storeId: string;
  orderId: string;
  returnId: string;
  policyVersion: number;
  parcelShipmentId: string | null;
  from: ReturnStatus;
  to: ReturnStatus;
  /** In the order they happened. */
  steps: MoveStep[];
  /** The refund (or credit, or exchange) was released by this move. */
  refundReleased: boolean;
  /** The person or API key who asked for it, when it was staff (audited). */
  requestedBy: Actor | null;
  note: string | null;
  /** A new request the store reviews first: work for a person (a case) until staff decide. */
  awaitsReview?: boolean;
  now: number;
}

/** Writes every consequence of a move inside the writer's transaction (src/server/changes/return-moved.ts). */
export type ReturnMoved = (tx: Tx, move: ReturnMove) => Promise<void>;
