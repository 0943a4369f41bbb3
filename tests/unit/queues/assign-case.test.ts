import { and, asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { assignCase } from '../../../src/server/queues/assign-case.ts';
import { setUserDisabled } from '../../../src/server/users/set-user-disabled.ts';
import { casesOf } from '../notices/helpers.ts';
import { queueScenario, staffOf } from './scenario.ts';

let w: Awaited<ReturnType<typeof queueScenario>>;
let sam: Awaited<ReturnType<typeof staffOf>>;
let ria: Awaited<ReturnType<typeof staffOf>>;
let caseId: string;
beforeEach(async () => {
  w = await queueScenario();
  sam = await staffOf(w.store, 'Sam', w.clock.now());
  ria = await staffOf(w.store, 'Ria', w.clock.now());
  caseId = (await casesOf(w.x.orderId))[0]!.id;
});

const assign = (assigneeUserId: string | null, over: { caseId?: string } = {}) =>
  assignCase({ storeId: w.store.id, caseId, assigneeUserId, actor: sam.actor, now: w.clock.now(), ...over });
const row = async () => (await firstRow(db().select().from(schema.cases).where(eq(schema.cases.id, caseId))))!;
const audits = async () =>
  (
    await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.storeId, w.store.id), eq(schema.auditLog.action, 'case.assigned')))
      .orderBy(asc(schema.auditLog.at))
  ).map((a) => [a.actor, a.detail]);
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe('assignCase', () => {
  it('assigns to oneself, hands over, unassigns; each change audited with who had it', async () => {
    expect(await assign(sam.id)).toEqual({ changed: true });
    expect(await row()).toMatchObject({ assigneeUserId: sam.id, updatedAt: w.clock.now() });
    w.clock.advance(1000);
    await assign(ria.id);
    w.clock.advance(1000);
    await assign(null);
    expect((await row()).assigneeUserId).toBeNull();
    const base = { caseId, orderNumber: 'X1' };
    expect(await audits()).toEqual([
      [sam.email, { ...base, from: null, to: sam.email }],
      [sam.email, { ...base, from: sam.email, to: ria.email }],
      [sam.email, { ...base, from: ria.email, to: null }],
    ]);
  });

  it('the same person again changes nothing', async () => {
    await assign(sam.id);
    expect(await assign(sam.id)).toEqual({ changed: false });
    expect(await assign(sam.id)).toEqual({ changed: false });
    expect(await audits()).toHaveLength(1);
  });

  it('only to an active member of the store’s own staff', async () => {
    const stranger = await staffOf(w.other.store, 'Stranger', w.clock.now());
    for (const id of [stranger.id, 'no-such-user']) {
      const err = await refusal(assign(id));
      expect(err.kind).toBe('invalid');
      expect(err.errors[0]!.pointer).toBe('/assignee');
    }
    await setUserDisabled(w.store.id, ria.id, true, sam.actor, w.clock.now());
    expect((await refusal(assign(ria.id))).kind).toBe('invalid');
    expect((await row()).assigneeUserId).toBeNull();
    expect(await audits()).toEqual([]);
  });

  it('another store’s case is not found, and stays as it was', async () => {
    const theirs = (await casesOf(w.other.orderId))[0]!;
    expect((await refusal(assign(sam.id, { caseId: theirs.id }))).kind).toBe('not_found');
    expect((await casesOf(w.other.orderId))[0]).toEqual(theirs);
  });
});
