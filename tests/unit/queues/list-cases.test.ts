import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/server/errors.ts';
import { getOrderByNumber } from '../../../src/server/orders/get-order-by-number.ts';
import { assignCase } from '../../../src/server/queues/assign-case.ts';
import { changeCaseStatus } from '../../../src/server/queues/change-case-status.ts';
import { toCaseJson } from '../../../src/server/queues/case-json.ts';
import { listCases, type CaseRow } from '../../../src/server/queues/list-cases.ts';
import { casesOf } from '../notices/helpers.ts';
import { queueScenario, report, staffOf } from './scenario.ts';

const PUBLIC = 'https://track.example.test';
let w: Awaited<ReturnType<typeof queueScenario>>;
let sam: Awaited<ReturnType<typeof staffOf>>;
let ids: { exception: string; notReceived: string; damaged: string; resolved: string; other: string };

// Built once (the tests only read): four cases of the store, one resolved, one assigned to Sam.
beforeAll(async () => {
  w = await queueScenario();
  sam = await staffOf(w.store, 'Sam', w.clock.now());
  const exception = (await casesOf(w.x.orderId))[0]!.id;
  w.clock.advance(60_000);
  const notReceived = await report(w.store, w.clock, 'Y2', 'US0002', 'not_received', 'Nothing arrived yet');
  w.clock.advance(60_000);
  const damaged = await report(w.store, w.clock, 'W4', 'UP0004', 'damaged', 'The box was crushed');
  w.clock.advance(60_000);
  const resolved = await report(w.store, w.clock, 'W4', 'UP0004', 'wrong_item', 'Blue, not green');
  await changeCaseStatus({ storeId: w.store.id, caseId: resolved, status: 'resolved', actor: sam.actor, now: w.clock.now() });
  await assignCase({ storeId: w.store.id, caseId: damaged, assigneeUserId: sam.id, actor: sam.actor, now: w.clock.now() });
  ids = { exception, notReceived, damaged, resolved, other: (await casesOf(w.other.orderId))[0]!.id };
});

const list = (query: Record<string, string> = {}, userId: string | null = sam.id, defaultStatus: 'active' | 'all' = 'active') =>
  listCases({ store: w.store, userId, query, defaultStatus, publicUrl: PUBLIC });
const idsOf = (rows: CaseRow[]) => rows.map((r) => r.id);

describe('listCases', () => {
  it('by default lists the cases not resolved, newest first, never another store’s', async () => {
    const { rows, nextCursor } = await list();
    expect(idsOf(rows)).toEqual([ids.damaged, ids.notReceived, ids.exception]);
    expect(nextCursor).toBeNull();
    expect(idsOf(rows)).not.toContain(ids.other);
  });

  it('gives each case its order, parcel, assignee and the shopper’s link', async () => {
    const { rows } = await list();
    const token = (await getOrderByNumber(w.store, 'W4', w.clock))!.token;
    expect(rows[0]).toMatchObject({
      kind: 'damaged',
      source: 'problem_report',
      status: 'open',
      message: 'The box was crushed',
      order: { number: 'W4', customerName: 'Wes Obi', url: `${PUBLIC}/${w.store.slug}/t/${token}` },
      shipment: { carrier: 'UPS', trackingCode: 'UP0004' },
      assignee: { id: sam.id, email: sam.email, name: 'Sam' },
    });
    expect(rows[2]).toMatchObject({ kind: 'delivery_failed', source: 'exception', assignee: null });
  });

  it('filters by status, kind and assignee', async () => {
    expect(idsOf((await list({ status: 'resolved' })).rows)).toEqual([ids.resolved]);
    expect(idsOf((await list({ status: 'all' })).rows)).toEqual([ids.resolved, ids.damaged, ids.notReceived, ids.exception]);
    expect(idsOf((await list({}, sam.id, 'all')).rows)).toHaveLength(4);
    expect(idsOf((await list({ status: 'open', kind: 'delivery_failed' })).rows)).toEqual([ids.exception]);
    expect((await list({ status: 'in_progress' })).rows).toEqual([]);
    expect(idsOf((await list({ assignee: 'mine' })).rows)).toEqual([ids.damaged]);
    expect(idsOf((await list({ assignee: 'unassigned' })).rows)).toEqual([ids.notReceived, ids.exception]);
    expect(idsOf((await list({ status: '', kind: '', assignee: '' })).rows)).toEqual([ids.damaged, ids.notReceived, ids.exception]);
  });

  it('pages with a cursor until there is no next page', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { rows: CaseRow[]; nextCursor: string | null } = await list({ status: 'all', limit: '1', ...(cursor ? { cursor } : {}) });
      seen.push(...idsOf(page.rows));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual([ids.resolved, ids.damaged, ids.notReceived, ids.exception]);
  });

  it('refuses bad values with pointers, and "mine" without a person', async () => {
    const err = await list({ status: 'bogus', kind: 'lost-ish', assignee: 'them', limit: '0' }).catch((e: unknown) => e);
    expect(isAppError(err, 'invalid')).toBe(true);
    expect((err as { errors: { pointer: string }[] }).errors.map((e) => e.pointer).sort()).toEqual([
      '/assignee',
      '/kind',
      '/limit',
      '/status',
    ]);
    const mine = await list({ assignee: 'mine' }, null).catch((e: unknown) => e);
    expect(isAppError(mine, 'invalid')).toBe(true);
  });

  it('as API JSON: codes, ISO times, the order’s tracking link and the assignee’s email', async () => {
    const { rows } = await list();
    expect(toCaseJson(rows[0]!)).toEqual({
      id: ids.damaged,
      kind: 'damaged',
      source: 'problem_report',
      status: 'open',
      message: 'The box was crushed',
      orderNumber: 'W4',
      customerName: 'Wes Obi',
      carrier: 'UPS',
      trackingCode: 'UP0004',
      assigneeEmail: sam.email,
      trackingUrl: rows[0]!.order.url,
      createdAt: new Date(rows[0]!.createdAt).toISOString(),
      updatedAt: new Date(rows[0]!.updatedAt).toISOString(),
      resolvedAt: null,
    });
  });
});
