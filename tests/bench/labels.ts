// Return labels bought per second through the EasyPost emulator (the real @easypost/api client
// over HTTP), with 20 concurrent submitters each confirming returns, every return's form sent
// twice at once (a double click), on a temp SQLite file of its own. Counts what must never
// happen: a second return for one key, or a second purchase for one return.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { startEmulator } from '../../src/emulator/index.ts';
import { resetConfig } from '../../src/server/config.ts';
import { closeDatabase, db, migrateDatabase, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { returnMoved } from '../../src/server/changes/return-moved.ts';
import { confirmReturn } from '../../src/server/returns/confirm-return.ts';
import { upsertOrder } from '../../src/server/changes/order-written.ts';
import { createStore } from '../../src/server/stores/create-store.ts';

interface LabelFigures {
  returns: number;
  submissions: number;
  seconds: number;
  perSecond: number;
  buys: number;
  duplicateReturns: number;
  labelled: number;
}

/** Confirms `count` returns (each submitted twice) with 20 submitters; measures and checks. */
async function benchLabelPurchases(count = 300, submitters = 20): Promise<LabelFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-labels-'));
  useDatabase(join(dir, 'bench.db'));
  await migrateDatabase();
  const emu = await startEmulator({ autoTick: false });
  const before = process.env.EASYPOST_BASE_URL;
  process.env.EASYPOST_BASE_URL = emu.baseUrl;
  resetConfig();
  try {
    const { store } = await createStore({
      slug: 'bench-labels',
      name: 'Bench',
      easypostKey: 'EZAK_bench_labels',
      settings: {
        returnAddress: { name: 'Returns', street1: '1 Dock Rd', city: 'Portland', state: 'OR', postalCode: '97209', country: 'US' },
      } as never,
    });
    const orders: string[] = [];
    for (let i = 0; i < count; i++) {
      const { orderId } = await upsertOrder({
        storeId: store.id,
        body: {
          number: `B${i}`,
          email: `b${i}@example.com`,
          customerName: 'Bench Shopper',
          placedAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
          currency: 'USD',
          shippingAddress: {
            name: 'Bench Shopper',
            street1: '1 Main St',
            city: 'Seattle',
            state: 'WA',
            postalCode: '98101',
            country: 'US',
          },
          items: [{ sku: 'MUG', title: 'Mug', quantity: 1, unitAmount: 2900 }],
          shipments: [{ carrier: 'USPS', trackingCode: `BENCH${i}`, items: [{ sku: 'MUG', quantity: 1 }] }],
        },
      });
      orders.push(orderId);
    }
    await transaction((tx) =>
      tx.update(schema.shipments).set({ status: 'delivered', deliveredAt: Date.now() - 86_400_000, nextSyncAt: null }),
    );
    // Every return's form twice in a row: two submitters take the same key at about the same time.
    const queue = orders.flatMap((orderId, i) => [0, 1].map(() => ({ orderId, key: `bench-label-key-${String(i).padStart(6, '0')}` })));
    const submissions = queue.length;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: submitters }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const form = new FormData();
          for (const [k, v] of Object.entries({ key: job.key, resolution: 'refund', 'qty[MUG]': '1', 'reason[MUG]': 'changed_mind' }))
            form.set(k, v);
          await confirmReturn({ storeId: store.id, orderId: job.orderId, form, now: Date.now, moved: returnMoved });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const rows = await db().select().from(schema.returns).where(eq(schema.returns.storeId, store.id));
    const buys = emu.calls.filter((c) => c.method === 'POST' && /\/v2\/shipments\/[^/]+\/buy$/.test(c.path)).length;
    return {
      returns: count,
      submissions,
      seconds,
      perSecond: rows.filter((r) => r.labelState === 'bought').length / seconds,
      buys,
      duplicateReturns: rows.length - new Set(rows.map((r) => r.idempotencyKey)).size + Math.max(0, rows.length - count),
      labelled: rows.filter((r) => r.labelState === 'bought').length,
    };
  } finally {
    await emu.close();
    await closeDatabase();
    rmSync(dir, { recursive: true, force: true });
    if (before === undefined) delete process.env.EASYPOST_BASE_URL;
    else process.env.EASYPOST_BASE_URL = before;
    resetConfig();
  }
}

/** Adds the label figures to the benchmark's table (one line in run.ts). */
export async function benchLabels(row: (name: string, value: string, target: string) => void): Promise<void> {
  const f = await benchLabelPurchases();
  row('return labels: bought/s (20 submitters, each form twice)', `${f.perSecond.toFixed(0)}/s`, '');
  row(
    'return labels: returns / labels / buy calls',
    `${f.returns} / ${f.labelled} / ${f.buys}`,
    `${f.returns} / ${f.returns} / ${f.returns}`,
  );
  row('return labels: duplicate returns', String(f.duplicateReturns), '0');
}

// `node tests/bench/labels.ts`: this piece alone.
if (import.meta.main) {
  const rows: [string, string, string][] = [];
  await benchLabels((a, b, c) => rows.push([a, b, c]));
  for (const [a, b, c] of rows) console.log(`${a.padEnd(58)} ${b.padStart(16)}  ${c ? `target ${c}` : ''}`);
}
