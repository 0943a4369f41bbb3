// The return's state machine, the one place that says where a return may go next, who may move it
// there, what it may be settled with and when its refund is released. Writers ask it before they
// write (assertMove), pages ask it what to offer (nextActions) and how to describe a return. Pure:
// plain data in, plain data out.
import { AppError } from '../errors.ts';
import { STATUS_WORDS, type ReturnStatus } from './statuses.ts';

/**
 * Who moves a return: the shopper (asks for it), staff (the admin page and the store's systems
 * through the API), the carrier (the return parcel's scans) and Waypost's own job (buys and voids labels).
 */
export type Mover = 'shopper' | 'staff' | 'carrier' | 'job';

/** What the machine needs to know of a return. */
export interface MachineReturn {
  status: ReturnStatus;
  resolution: string;
  needsReview: boolean;
  approvedAt: number | null;
}

/** Statuses whose units no longer count as returned (the shopper may return them again). */
export const VOID_STATUSES: readonly ReturnStatus[] = ['rejected', 'cancelled'];
/** Final outcomes: the money (or the exchange) is released. */
const OUTCOME_STATUSES: readonly ReturnStatus[] = ['refunded', 'credited', 'exchanged'];
/** Statuses of a return still under way (the queue's "open"). */
export const OPEN_STATUSES: readonly ReturnStatus[] = ['requested', 'approved', 'label_ready', 'in_transit', 'received'];

const BEFORE_TRANSIT: readonly ReturnStatus[] = ['requested', 'approved', 'label_ready'];
const OUTCOMES_FROM: readonly ReturnStatus[] = ['label_ready', 'in_transit', 'received'];

/**
 * Every allowed move: to a status, from which statuses, by whom. A shopper creates a return
 * (requested) and moves it no further; staff decide, receive and settle; the carrier's scans move
 * the parcel's return along and release the refund when the policy says; the job records the bought
 * label and cancels a return whose label was never used.
 */
const MOVES: readonly { to: ReturnStatus; from: readonly ReturnStatus[]; by: Mover }[] = [
  { to: 'approved', from: ['requested'], by: 'staff' },
  { to: 'rejected', from: ['requested', 'approved', 'received'], by: 'staff' },
  { to: 'received', from: ['label_ready', 'in_transit'], by: 'staff' },
  ...OUTCOME_STATUSES.map((to) => ({ to, from: OUTCOMES_FROM, by: 'staff' as const })),
  { to: 'label_ready', from: ['requested', 'approved'], by: 'job' },
  { to: 'cancelled', from: ['label_ready'], by: 'job' },
  { to: 'in_transit', from: BEFORE_TRANSIT, by: 'carrier' },
  { to: 'received', from: [...BEFORE_TRANSIT, 'in_transit'], by: 'carrier' },
  ...OUTCOME_STATUSES.map((to) => ({ to, from: [...BEFORE_TRANSIT, 'in_transit', 'received'] as const, by: 'carrier' as const })),
];

/** Where a new return starts; only the shopper makes one. */
export const FIRST_STATUS: ReturnStatus = 'requested';

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

/** The outcome status a resolution ends in (what the shopper was promised). */
export function outcomeFor(resolution: string): ReturnStatus {
  return allowedOutcomes(resolution)[0]!;
}

/** True for a settled return (refunded, credited, exchanged). */
export function isSettled(status: string): boolean {
  return (OUTCOME_STATUSES as readonly string[]).includes(status);
}

/** True for a rejected or cancelled return (its units are free again). */
export function isVoid(status: string): boolean {
  return (VOID_STATUSES as readonly string[]).includes(status);
}

/** A request the store reviews first and nobody has decided yet. */
export function awaitingReview(ret: MachineReturn): boolean {
  return ret.status === 'requested' && ret.needsReview && ret.approvedAt === null;
}

/** A return whose label is still to come (approved, at once or by staff; the purchase runs or is retried). */
export function awaitingLabel(ret: MachineReturn): boolean {
  return (ret.status === 'requested' || ret.status === 'approved') && !awaitingReview(ret);
}

/** The statuses from which this mover may move a return to `to` (for the writers' conditional updates). */
export function movableFrom(to: ReturnStatus, by: Mover): ReturnStatus[] {
  return [...new Set(MOVES.filter((m) => m.to === to && m.by === by).flatMap((m) => m.from))];
}

/** Whether this mover may move the return to `to` from where it stands. */
export function canMove(ret: MachineReturn, to: ReturnStatus, by: Mover): boolean {
  return refusal(ret, to, by) === null;
}

/** Throws the conflict (409) that says why the move is not possible; the same status again is allowed (a no-op). */
export function assertMove(ret: MachineReturn, to: ReturnStatus, by: Mover): void {
  if (ret.status === to) return;
  const why = refusal(ret, to, by);
  if (why) throw why;
}

function refusal(ret: MachineReturn, to: ReturnStatus, by: Mover): AppError | null {
  const from = ret.status;
  if (to === 'approved' && !awaitingReview(ret)) return conflict(from, to);
  if (!MOVES.some((m) => m.to === to && m.by === by && m.from.includes(from))) return conflict(from, to);
  if (isSettled(to) && !allowedOutcomes(ret.resolution).includes(to))
    return new AppError(
      'conflict',
      `A return for ${RESOLUTION_WORDS[ret.resolution] ?? ret.resolution} cannot be marked "${STATUS_WORDS[to]}"`,
      [{ pointer: '/status', detail: `one of ${allowedOutcomes(ret.resolution).join(', ')} for this return` }],
    );
  return null;
}

const RESOLUTION_WORDS: Record<string, string> = { refund: 'a refund', store_credit: 'store credit', exchange: 'an exchange' };

function conflict(from: ReturnStatus, to: ReturnStatus): AppError {
  return new AppError('conflict', `A return that is "${STATUS_WORDS[from]}" cannot be marked "${STATUS_WORDS[to]}"`, [
    { pointer: '/status', detail: `not possible from ${from}` },
  ]);
}

/**
 * What staff may do with the return now, in the order the admin page offers it: approve, mark
 * received, record the promised outcome, reject. Empty: the return is closed (or waits for the
 * carrier or the label).
 */
export function nextActions(ret: MachineReturn): ReturnStatus[] {
  const offered: ReturnStatus[] = ['approved', 'received', outcomeFor(ret.resolution), 'rejected'];
  return offered.filter((to) => ret.status !== to && canMove(ret, to, 'staff'));
}

/** A label whose purchase failed, for a return still waiting for it: staff may try it again now. */
export function mayRetryLabel(ret: MachineReturn & { labelState: string }): boolean {
  return ret.labelState === 'failed' && awaitingLabel(ret);
}

/** The news that may release the refund: the parcel's first scan, its delivery, staff receiving it, staff settling it. */
export type ReleaseNews = 'first_scan' | 'delivered' | 'received' | 'settled';

/** When the policy releases the refund (`refund_released_on`, fixed when the return was made), which news does it. */
const RELEASED_BY: Record<string, readonly ReleaseNews[]> = {
  first_scan: ['first_scan', 'delivered', 'received', 'settled'],
  delivered: ['delivered', 'received', 'settled'],
  inspected: ['settled'],
};

/**
 * Whether this news releases the refund now: once only, never for a rejected or cancelled return,
 * and at the moment the policy named (a store that releases on delivery also releases when it
 * records the parcel as received; settling always releases).
 */
export function releasesRefund(
  ret: { status: string; refundReleasedOn: string; refundReleasedAt: number | null },
  news: ReleaseNews,
): boolean {
  if (ret.refundReleasedAt !== null || isVoid(ret.status)) return false;
  return (RELEASED_BY[ret.refundReleasedOn] ?? RELEASED_BY.delivered!).includes(news);
}
