// The return's state machine: every from → to × mover against a table written out by hand, the
// approval rule, outcomes by resolution, what staff are offered, and when the refund is released.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/server/errors.ts';
import { CHANGES } from '../../../src/server/returns/change-return.ts';
import {
  allowedOutcomes,
  assertMove,
  awaitingLabel,
  awaitingReview,
  canMove,
  mayRetryLabel,
  movableFrom,
  nextActions,
  outcomeFor,
  releasesRefund,
  type MachineReturn,
  type Mover,
  type ReleaseNews,
} from '../../../src/server/returns/return-machine.ts';
import { RETURN_STATUSES, type ReturnStatus } from '../../../src/server/returns/statuses.ts';

const MOVERS: Mover[] = ['shopper', 'staff', 'carrier', 'job'];
const OUTCOMES = ['refunded', 'credited', 'exchanged'];
const ALL_OUTCOMES = (from: string[], by: string) => from.flatMap((f) => OUTCOMES.map((o) => `${f}>${o}:${by}`));

/** Every allowed move, written out (an exchange may end in any outcome; the request is under review). */
const ALLOWED = new Set([
  'requested>approved:staff',
  'requested>rejected:staff',
  'approved>rejected:staff',
  'received>rejected:staff',
  'label_ready>received:staff',
  'in_transit>received:staff',
  ...ALL_OUTCOMES(['label_ready', 'in_transit', 'received'], 'staff'),
  'requested>label_ready:job',
  'approved>label_ready:job',
  'label_ready>cancelled:job',
  'requested>in_transit:carrier',
  'approved>in_transit:carrier',
  'label_ready>in_transit:carrier',
  'requested>received:carrier',
  'approved>received:carrier',
  'label_ready>received:carrier',
  'in_transit>received:carrier',
  ...ALL_OUTCOMES(['requested', 'approved', 'label_ready', 'in_transit', 'received'], 'carrier'),
]);

const ret = (status: ReturnStatus, o: Partial<MachineReturn> = {}): MachineReturn => ({
  status,
  resolution: 'exchange',
  needsReview: true,
  approvedAt: null,
  ...o,
});

describe('every move, by every mover', () => {
  const rows = RETURN_STATUSES.flatMap((from) =>
    RETURN_STATUSES.filter((to) => to !== from).flatMap((to) => MOVERS.map((by) => [from, to, by] as const)),
  );
  it.each(rows)('%s → %s by %s', (from, to, by) => {
    const allowed = ALLOWED.has(`${from}>${to}:${by}`);
    expect(canMove(ret(from), to, by)).toBe(allowed);
    if (allowed) expect(() => assertMove(ret(from), to, by)).not.toThrow();
    else expect(() => assertMove(ret(from), to, by)).toThrow(/cannot be marked/);
  });

  it('the same status again is a no-op, never a conflict', () => {
    for (const s of RETURN_STATUSES) expect(() => assertMove(ret(s), s, 'staff')).not.toThrow();
  });

  it('the shopper only starts a return: no move is theirs', () => {
    expect([...ALLOWED].filter((m) => m.endsWith(':shopper'))).toEqual([]);
  });

  it('what staff and the API may ask for is every staff move of the machine', () => {
    const staffTargets = RETURN_STATUSES.filter((to) => movableFrom(to, 'staff').length > 0);
    expect([...CHANGES].sort()).toEqual([...staffTargets].sort());
  });

  it('the writers ask where a move may come from', () => {
    expect(movableFrom('cancelled', 'job')).toEqual(['label_ready']);
    expect(movableFrom('label_ready', 'job')).toEqual(['requested', 'approved']);
    expect(movableFrom('received', 'staff')).toEqual(['label_ready', 'in_transit']);
  });
});

describe('approval', () => {
  it('only a request the store reviews first, and only once', () => {
    expect(canMove(ret('requested'), 'approved', 'staff')).toBe(true);
    expect(canMove(ret('requested', { needsReview: false, approvedAt: 1 }), 'approved', 'staff')).toBe(false);
    expect(canMove(ret('requested', { approvedAt: 1 }), 'approved', 'staff')).toBe(false);
  });

  it('a refused move is a 409 conflict saying where the return stands', () => {
    try {
      assertMove(ret('refunded'), 'rejected', 'staff');
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'conflict')).toBe(true);
      expect(err).toMatchObject({
        status: 409,
        message: 'A return that is "Refunded" cannot be marked "Not accepted"',
        errors: [{ pointer: '/status', detail: 'not possible from refunded' }],
      });
    }
  });
});

describe('outcomes by resolution', () => {
  it.each([
    ['refund', ['refunded']],
    ['store_credit', ['credited', 'refunded']],
    ['exchange', ['exchanged', 'refunded', 'credited']],
    ['unknown', ['refunded']],
  ])('%s may end in %j, the first promised', (resolution, outcomes) => {
    expect(allowedOutcomes(resolution)).toEqual(outcomes);
    expect(outcomeFor(resolution)).toBe(outcomes[0]);
  });

  it('a refund is never settled as store credit or an exchange', () => {
    const refund = ret('received', { resolution: 'refund' });
    expect(canMove(refund, 'refunded', 'staff')).toBe(true);
    for (const to of ['credited', 'exchanged'] as const) {
      expect(canMove(refund, to, 'staff')).toBe(false);
      expect(() => assertMove(refund, to, 'staff')).toThrow(
        expect.objectContaining({ status: 409, errors: [{ pointer: '/status', detail: 'one of refunded for this return' }] }),
      );
    }
  });
});

describe('what staff are offered', () => {
  it.each([
    ['requested', { needsReview: true, approvedAt: null }, ['approved', 'rejected']],
    ['requested', { needsReview: false, approvedAt: 1 }, ['rejected']],
    ['approved', {}, ['rejected']],
    ['label_ready', {}, ['received', 'exchanged']],
    ['in_transit', {}, ['received', 'exchanged']],
    ['received', {}, ['exchanged', 'rejected']],
    ['exchanged', {}, []],
    ['refunded', {}, []],
    ['rejected', {}, []],
    ['cancelled', {}, []],
  ] as const)('%s %j: %j', (status, o, actions) => {
    expect(nextActions(ret(status, o))).toEqual(actions);
  });

  it('waiting for review, waiting for the label, a label to try again', () => {
    expect(awaitingReview(ret('requested'))).toBe(true);
    expect(awaitingLabel(ret('requested'))).toBe(false);
    expect(awaitingLabel(ret('approved', { approvedAt: 1 }))).toBe(true);
    expect(awaitingLabel(ret('requested', { needsReview: false, approvedAt: 1 }))).toBe(true);
    expect(mayRetryLabel({ ...ret('approved', { approvedAt: 1 }), labelState: 'failed' })).toBe(true);
    expect(mayRetryLabel({ ...ret('approved', { approvedAt: 1 }), labelState: 'pending' })).toBe(false);
    expect(mayRetryLabel({ ...ret('rejected'), labelState: 'failed' })).toBe(false);
  });
});

describe('the refund release', () => {
  const NEWS: ReleaseNews[] = ['first_scan', 'delivered', 'received', 'settled'];
  it.each([
    ['first_scan', ['first_scan', 'delivered', 'received', 'settled']],
    ['delivered', ['delivered', 'received', 'settled']],
    ['inspected', ['settled']],
  ])('released on %s: by %j', (on, by) => {
    const open = { status: 'in_transit', refundReleasedOn: on, refundReleasedAt: null };
    expect(NEWS.filter((n) => releasesRefund(open, n))).toEqual(by);
  });

  it('once only, and never for a rejected or cancelled return', () => {
    for (const n of NEWS) {
      expect(releasesRefund({ status: 'received', refundReleasedOn: 'first_scan', refundReleasedAt: 1 }, n)).toBe(false);
      expect(releasesRefund({ status: 'rejected', refundReleasedOn: 'first_scan', refundReleasedAt: null }, n)).toBe(false);
      expect(releasesRefund({ status: 'cancelled', refundReleasedOn: 'first_scan', refundReleasedAt: null }, n)).toBe(false);
    }
  });
});
