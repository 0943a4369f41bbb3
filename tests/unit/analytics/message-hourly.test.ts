// The ledger's hourly counts (message_hourly) are kept by database triggers: after inserts, status
// changes one by one and in bulk, updates that change nothing counted, and a delete, they equal
// the ledger grouped afresh; and message figures over a zone off the hour (Kolkata, +5:30) read
// whole hours from them and the half hours at either end from the ledger, exactly.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { readMessageFigures } from '../../../src/server/analytics/message-figures.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { databaseDialect, db, schema, transaction } from '../../../src/server/db.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';
import { ledgerMessage } from '../../support/ledger-rows.ts';

const T = (iso: string) => Date.parse(iso);
const m = schema.messages;

/** The hourly counts as kept, and as the ledger gives them now (rows of zero left out). */
async function keptAndFresh() {
  const h = schema.messageHourly;
  const kept = await db()
    .select({ storeId: h.storeId, hour: h.hour, channel: h.channel, kind: h.kind, status: h.status, n: h.n })
    .from(h)
    .where(sql`${h.n} <> 0`);
  const fresh = await db()
    .select({
      storeId: m.storeId,
      hour: sql<number>`${m.createdAt} / 3600000`.mapWith(Number),
      channel: m.channel,
      kind: m.kind,
      status: m.status,
      n: sql<number>`count(*)`.mapWith(Number),
    })
    .from(m)
    .groupBy(m.storeId, sql`${m.createdAt} / 3600000`, m.channel, m.kind, m.status);
  const order = (rows: { storeId: string; hour: number; channel: string; kind: string; status: string; n: number }[]) =>
    rows.map((r) => ({ ...r, hour: Number(r.hour), n: Number(r.n) })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { kept: order(kept), fresh: order(fresh) };
}

describe('message_hourly', () => {
  beforeEach(() => freshDatabase());

  it('follows every insert, status change and delete of the ledger, whatever statement makes it', async () => {
    const { store } = await makeStore();
    const { orderId } = await upsertOrder({ storeId: store.id, body: orderBody({ number: '1', shipments: [] }) });
    const a = await ledgerMessage(store.id, orderId, 'email', 'shipped', 'queued', '2026-11-10T12:05:00Z');
    const b = await ledgerMessage(store.id, orderId, 'email', 'shipped', 'queued', '2026-11-10T12:55:00Z');
    const c = await ledgerMessage(store.id, orderId, 'email', 'delivered', 'queued', '2026-11-10T13:00:00Z');
    const d = await ledgerMessage(store.id, orderId, 'push', 'delivered', 'scheduled', '2026-11-11T09:00:00Z');
    expect((await keptAndFresh()).kept).toHaveLength(3);

    await transaction((tx) => tx.update(m).set({ status: 'sending' }).where(eq(m.id, a)));
    await transaction((tx) =>
      tx
        .update(m)
        .set({ status: 'sent', sentAt: T('2026-11-10T12:06:00Z') })
        .where(eq(m.id, a)),
    );
    // In bulk, and an update that touches no counted column.
    await transaction((tx) =>
      tx
        .update(m)
        .set({ status: 'superseded' })
        .where(inArray(m.id, [b, c])),
    );
    await transaction((tx) => tx.update(m).set({ attempts: 2, lastError: '451 try later' }).where(eq(m.id, d)));
    await transaction((tx) => tx.update(m).set({ status: 'scheduled' }).where(eq(m.id, d))); // the same status again
    await transaction((tx) => tx.delete(m).where(and(eq(m.id, c), eq(m.storeId, store.id))));

    const { kept, fresh } = await keptAndFresh();
    expect(kept).toEqual(fresh);
    expect(kept.map((r) => [r.kind, r.status, r.n])).toEqual(
      expect.arrayContaining([
        ['shipped', 'sent', 1],
        ['shipped', 'superseded', 1],
        ['delivered', 'scheduled', 1],
      ]),
    );
    expect(kept).toHaveLength(3);
  });

  it('counts a message inserted and moved in one transaction, and nothing of one rolled back', async () => {
    const { store } = await makeStore();
    const { orderId } = await upsertOrder({ storeId: store.id, body: orderBody({ number: '1', shipments: [] }) });
    const at = T('2026-11-10T12:05:00Z');
    const row = (id: string) => ({
      id,
      storeId: store.id,
      orderId,
      kind: 'shipped',
      channel: 'email',
      recipient: 'sam@example.com',
      language: 'en',
      messageClass: 'service',
      dedupeKey: id,
      status: 'queued',
      createdAt: at,
      updatedAt: at,
    });
    await transaction(async (tx) => {
      await tx.insert(m).values(row('m-moved'));
      await tx.update(m).set({ status: 'sending' }).where(eq(m.id, 'm-moved'));
      await tx.update(m).set({ status: 'sent', sentAt: at }).where(eq(m.id, 'm-moved'));
    });
    await expect(
      transaction(async (tx) => {
        await tx.insert(m).values(row('m-rolled-back'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const { kept, fresh } = await keptAndFresh();
    expect(kept).toEqual(fresh);
    expect(kept.map((r) => [r.kind, r.status, r.n])).toEqual([['shipped', 'sent', 1]]);
  });

  // On PostgreSQL the counts move at commit (deferred constraint triggers, migration 0025): counted
  // at the insert, the shared hourly row stayed locked to the end of the writing transaction, and
  // every other transaction writing a message of that store, hour, kind and status waited for it.
  it.runIf(databaseDialect() === 'postgresql')(
    'does not hold up another transaction’s message of the same hour until it commits',
    async () => {
      const { store } = await makeStore();
      const { orderId } = await upsertOrder({ storeId: store.id, body: orderBody({ number: '1', shipments: [] }) });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const firstInserted = new Promise<void>((r) => (inserted = r));
      const first = transaction(async (tx) => {
        await tx.insert(m).values({
          id: 'm-first',
          storeId: store.id,
          orderId,
          kind: 'shipped',
          channel: 'email',
          recipient: 'a@example.com',
          language: 'en',
          messageClass: 'service',
          dedupeKey: 'm-first',
          status: 'queued',
          createdAt: T('2026-11-10T12:05:00Z'),
          updatedAt: 0,
        });
        inserted();
        await held; // still open: its count is not taken yet
      });
      await firstInserted;
      const second = ledgerMessage(store.id, orderId, 'email', 'shipped', 'queued', '2026-11-10T12:10:00Z').then(() => 'committed');
      const waited = await Promise.race([second, new Promise((r) => setTimeout(() => r('held up'), 2_000))]);
      release();
      await first;
      await second;
      expect(waited).toBe('committed');
      const { kept, fresh } = await keptAndFresh();
      expect(kept).toEqual(fresh);
      expect(kept.map((r) => [r.kind, r.status, r.n])).toEqual([['shipped', 'queued', 2]]);
    },
  );

  it('gives the figures of a zone off the hour exactly: whole hours kept, the half hours at the edges from the ledger', async () => {
    const { store } = await makeStore();
    const { orderId } = await upsertOrder({ storeId: store.id, body: orderBody({ number: '1', shipments: [] }) });
    // November in Kolkata (+05:30) is [2026-10-31T18:30Z, 2026-11-30T18:30Z).
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-10-31T18:10:00Z'); // before: the last day of October there
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-10-31T18:40:00Z'); // the first half hour: from the ledger
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-11-15T10:00:00Z'); // a whole hour: from the counts
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'failed', '2026-11-15T10:30:00Z');
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-11-30T18:20:00Z'); // the last half hour: from the ledger
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-11-30T18:35:00Z'); // after: December there

    const f = await readMessageFigures(store.id, { from: '2026-11-01', to: '2026-11-30' }, 'Asia/Kolkata');
    expect(f.rows).toEqual([
      { channel: 'email', kind: 'shipped', sent: 3, failed: 1, suppressed: 0, clicks: 0, clickedMessages: 0, clickPercent: 0 },
    ]);
    // With the counts emptied only the two edge half hours are left: the whole hours came from the counts.
    await transaction((tx) => tx.delete(schema.messageHourly));
    expect((await readMessageFigures(store.id, { from: '2026-11-01', to: '2026-11-30' }, 'Asia/Kolkata')).rows).toEqual([
      { channel: 'email', kind: 'shipped', sent: 2, failed: 0, suppressed: 0, clicks: 0, clickedMessages: 0, clickPercent: 0 },
    ]);
  });
});
