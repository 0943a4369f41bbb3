import { and, asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema, transaction } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { changeCaseStatus } from '../../../src/server/queues/change-case-status.ts';
import { casesOf, counts } from '../notices/helpers.ts';
import { queueScenario, report, staffOf } from './scenario.ts';

let w: Awaited<ReturnType<typeof queueScenario>>;
let sam: Awaited<ReturnType<typeof staffOf>>;
let caseId: string;
beforeEach(async () => {
  w = await queueScenario();
  sam = await staffOf(w.store, 'Sam', w.clock.now());
  caseId = await report(w.store, w.clock, 'W4', 'UP0004', 'damaged', 'The box was crushed');
});

const move = (status: unknown, over: { caseId?: string; storeId?: string } = {}) =>
  changeCaseStatus({ storeId: w.store.id, caseId, status, actor: sam.actor, now: w.clock.now(), ...over });
const row = async () => (await firstRow(db().select().from(schema.cases).where(eq(schema.cases.id, caseId))))!;
const audits = async () =>
  await db()
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.storeId, w.store.id), eq(schema.auditLog.action, 'case.status_changed')))
    .orderBy(asc(schema.auditLog.at));
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe('changeCaseStatus', () => {
  it('works a case open → in progress → resolved → reopened, auditing each step', async () => {
    const t0 = w.clock.now();
    expect(await move('in_progress')).toEqual({ changed: true, status: 'in_progress' });
    w.clock.advance(60_000);
    expect(await move('resolved')).toEqual({ changed: true, status: 'resolved' });
    expect(await row()).toMatchObject({ status: 'resolved', resolvedAt: t0 + 60_000, updatedAt: t0 + 60_000 });
    w.clock.advance(60_000);
    expect(await move('open')).toEqual({ changed: true, status: 'open' });
    expect(await row()).toMatchObject({ status: 'open', resolvedAt: null, updatedAt: t0 + 120_000 });
    expect((await audits()).map((a) => [a.userId, a.actor, a.at, a.detail])).toEqual([
      [sam.id, sam.email, t0, { caseId, orderNumber: 'W4', from: 'open', to: 'in_progress' }],
      [sam.id, sam.email, t0 + 60_000, { caseId, orderNumber: 'W4', from: 'in_progress', to: 'resolved' }],
      [sam.id, sam.email, t0 + 120_000, { caseId, orderNumber: 'W4', from: 'resolved', to: 'open' }],
    ]);
  });

  it('resolving a shopper’s report takes its acknowledgement off their page (and marks the page stale)', async () => {
    const parcel = async () => (await getOrderByNumber(w.store, 'W4', w.clock))!.shipments[0]!;
    expect((await parcel()).cases).toMatchObject([{ kind: 'damaged', source: 'problem_report' }]);
    const before = await counts();
    await move('in_progress'); // the page shows the same thing: no page change
    expect((await counts()).pageChanges).toBe(before.pageChanges);
    await move('resolved');
    expect((await counts()).pageChanges).toBe(before.pageChanges + 1);
    expect((await parcel()).cases).toEqual([]);
    await move('open');
    expect((await counts()).pageChanges).toBe(before.pageChanges + 2);
    expect((await parcel()).cases).toHaveLength(1);
  });

  it('the same status again changes nothing and audits nothing', async () => {
    const before = await row();
    expect(await move('open')).toEqual({ changed: false, status: 'open' });
    expect(await row()).toEqual(before);
    expect(await audits()).toEqual([]);
  });

  it('refuses a move that skips back from resolved, and values that are not statuses', async () => {
    await move('resolved');
    const err = await refusal(move('in_progress'));
    expect(err.kind).toBe('invalid');
    expect(err.errors[0]!.pointer).toBe('/status');
    expect((await refusal(move('bogus'))).errors.map((e) => e.pointer)).toEqual(['/status']);
    expect((await row()).status).toBe('resolved');
    expect(await audits()).toHaveLength(1);
  });

  it('another store’s case, or an unknown id, is not found and nothing changes', async () => {
    const theirs = (await casesOf(w.other.orderId))[0]!;
    expect((await refusal(move('resolved', { caseId: theirs.id }))).kind).toBe('not_found');
    expect((await refusal(move('resolved', { caseId: 'no-such-case' }))).kind).toBe('not_found');
    // Their own store id with our case id is not a way round it either.
    expect((await refusal(move('resolved', { storeId: w.other.store.id }))).kind).toBe('not_found');
    expect((await casesOf(w.other.orderId))[0]).toEqual(theirs);
    expect((await row()).status).toBe('open');
    expect(await audits()).toEqual([]);
  });

  it('will not reopen a case while a newer one about the same parcel and problem is open', async () => {
    await move('resolved');
    const newer = await report(w.store, w.clock, 'W4', 'UP0004', 'damaged', 'The replacement is crushed too');
    expect(newer).not.toBe(caseId);
    const err = await refusal(move('open'));
    expect(err.kind).toBe('conflict');
    expect((await row()).status).toBe('resolved');
    // Once the newer one is resolved, the old one may reopen.
    await transaction((tx) => tx.update(schema.cases).set({ status: 'resolved' }).where(eq(schema.cases.id, newer)));
    expect((await move('open')).changed).toBe(true);
  });
});
