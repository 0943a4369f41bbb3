import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { addCaseNote } from '../../../src/server/queues/add-case-note.ts';
import { assignCase } from '../../../src/server/queues/assign-case.ts';
import { changeCaseStatus } from '../../../src/server/queues/change-case-status.ts';
import { listCaseHistory } from '../../../src/server/queues/list-case-history.ts';
import { casesOf } from '../notices/helpers.ts';
import { queueScenario, report, staffOf } from './scenario.ts';

let w: Awaited<ReturnType<typeof queueScenario>>;
let sam: Awaited<ReturnType<typeof staffOf>>;
let caseId: string;
beforeEach(async () => {
  w = await queueScenario();
  sam = await staffOf(w.store, 'Sam', w.clock.now());
  caseId = await report(w.store, w.clock, 'W4', 'UP0004', 'damaged', 'The box was crushed');
});

const note = (body: unknown, over: { caseId?: string; actor?: { userId: string | null; label: string } } = {}) =>
  addCaseNote({ storeId: w.store.id, caseId, body, actor: sam.actor, now: w.clock.now(), ...over });
const notes = async (id = caseId) => await db().select().from(schema.caseNotes).where(eq(schema.caseNotes.caseId, id));
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe('addCaseNote', () => {
  it('keeps the note with its author and time, bumps the case, audits it; the shopper never sees it', async () => {
    w.clock.advance(60_000);
    const { id } = await note('  Called UPS, claim #123 opened.  ');
    expect(await notes()).toEqual([
      { id, storeId: w.store.id, caseId, userId: sam.id, body: 'Called UPS, claim #123 opened.', createdAt: w.clock.now() },
    ]);
    expect((await firstRow(db().select().from(schema.cases).where(eq(schema.cases.id, caseId))))!.updatedAt).toBe(w.clock.now());
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.storeId, w.store.id), eq(schema.auditLog.action, 'case.note_added')));
    expect(audit.map((a) => [a.userId, a.at, a.detail])).toEqual([[sam.id, w.clock.now(), { caseId, orderNumber: 'W4', noteId: id }]]);
    const order = await getOrderByNumber(w.store, 'W4', w.clock);
    expect(JSON.stringify(order)).not.toContain('claim #123');
  });

  it('refuses an empty or overlong note, a note without a person, another store’s case', async () => {
    expect((await refusal(note('   '))).errors.map((e) => e.pointer)).toEqual(['/body']);
    expect((await refusal(note('x'.repeat(4001)))).kind).toBe('invalid');
    expect((await refusal(note(undefined))).kind).toBe('invalid');
    expect((await refusal(note('hi', { actor: { userId: null, label: 'API key' } }))).kind).toBe('forbidden');
    const theirs = (await casesOf(w.other.orderId))[0]!.id;
    expect((await refusal(note('hi', { caseId: theirs }))).kind).toBe('not_found');
    expect(await notes()).toEqual([]);
    expect(await notes(theirs)).toEqual([]);
  });
});

describe('listCaseHistory', () => {
  it('tells the case’s story oldest first: notes in full, changes in words, nothing of other cases', async () => {
    const other = (await casesOf(w.x.orderId))[0]!.id;
    const t0 = w.clock.now();
    const step = () => w.clock.advance(60_000);
    const base = { storeId: w.store.id, actor: sam.actor };
    step();
    await assignCase({ ...base, caseId, assigneeUserId: sam.id, now: w.clock.now() });
    step();
    await changeCaseStatus({ ...base, caseId, status: 'in_progress', now: w.clock.now() });
    await changeCaseStatus({ ...base, caseId: other, status: 'in_progress', now: w.clock.now() });
    step();
    await note('Replacement sent.');
    await addCaseNote({ ...base, caseId: other, body: 'Not this one', now: w.clock.now() });
    step();
    await changeCaseStatus({ ...base, caseId, status: 'resolved', now: w.clock.now() });
    const history = await listCaseHistory({ storeId: w.store.id, caseId, since: t0 });
    expect(history.map((h) => [h.at - t0, h.type, h.who, h.type === 'note' ? h.body : h.text])).toEqual([
      [60_000, 'change', 'Sam', `assigned it to ${sam.email}`],
      [120_000, 'change', 'Sam', 'changed the status from open to in progress'],
      [180_000, 'note', 'Sam', 'Replacement sent.'],
      [240_000, 'change', 'Sam', 'changed the status from in progress to resolved'],
    ]);
    // Asked from another store, the same case id has no history.
    expect(await listCaseHistory({ storeId: w.other.store.id, caseId, since: t0 })).toEqual([]);
  });
});
