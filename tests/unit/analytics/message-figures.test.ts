// Message figures by channel and kind on hand-made ledger rows: emails and pushes by their status,
// clicks once per message and link, and events out by endpoint kind and event type (sent when
// delivered, failed when its retries ran out; pending, another store's, a test event or one outside
// the period not counted).
import { beforeEach, describe, expect, it } from 'vitest';
import { readMessageFigures } from '../../../src/server/analytics/message-figures.ts';
import { upsertOrder } from '../../../src/server/changes/order-written.ts';
import { schema, transaction } from '../../../src/server/db.ts';
import { makeStore, orderBody } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';
import { ledgerMessage } from '../../support/ledger-rows.ts';

const T = (iso: string) => Date.parse(iso);
const PERIOD = { from: '2026-11-01', to: '2026-11-30' };
let n = 0;

async function endpoint(storeId: string, kind: 'webhook' | 'klaviyo') {
  const id = `ep_${++n}`;
  await transaction((tx) =>
    tx.insert(schema.webhookEndpoints).values({
      id,
      storeId,
      kind,
      url: 'https://hooks.example.com/waypost',
      eventTypes: ['*'],
      secretEnc: 'sealed',
      createdAt: T('2026-10-01T00:00:00Z'),
      updatedAt: T('2026-10-01T00:00:00Z'),
    }),
  );
  return id;
}

async function delivery(storeId: string, endpointId: string, type: string, status: string, at: string) {
  await transaction((tx) =>
    tx.insert(schema.webhookDeliveries).values({
      id: `whd_${++n}`,
      storeId,
      endpointId,
      eventId: `evt_${n}`,
      type,
      body: '{}',
      status,
      attempts: 1,
      nextAttemptAt: T(at),
      createdAt: T(at),
    }),
  );
}

describe('message figures', () => {
  beforeEach(() => freshDatabase());

  it('counts emails, pushes and events out by channel and kind, and clicks once per message and link', async () => {
    const { store } = await makeStore();
    const { store: other } = await makeStore();
    const { orderId } = await upsertOrder({ storeId: store.id, body: orderBody({ number: '1', shipments: [] }) });
    const { orderId: otherOrder } = await upsertOrder({ storeId: other.id, body: orderBody({ number: '1', shipments: [] }) });

    const shipped = await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-11-10T12:00:00Z');
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-11-11T12:00:00Z');
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'suppressed', '2026-11-12T12:00:00Z');
    await ledgerMessage(store.id, orderId, 'push', 'delivered', 'failed', '2026-11-13T12:00:00Z');
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'queued', '2026-11-14T12:00:00Z'); // not yet sent: no figure
    await ledgerMessage(store.id, orderId, 'email', 'shipped', 'sent', '2026-10-31T12:00:00Z'); // before the period (UTC store)
    await ledgerMessage(other.id, otherOrder, 'email', 'shipped', 'sent', '2026-11-10T12:00:00Z'); // another store's
    // Two links of the first email followed (one of them three times), one never: 2 clicks, 1 message clicked.
    await transaction((tx) =>
      tx.insert(schema.messageLinks).values(
        ['order-page', 'tracking', 'returns-policy'].map((name, i) => ({
          messageId: shipped,
          linkId: `link${i}`,
          storeId: store.id,
          name,
          url: `https://shop.example/${name}`,
          createdAt: T('2026-11-10T12:00:00Z'),
          clicks: [3, 1, 0][i]!,
          firstClickedAt: i < 2 ? T('2026-11-10T13:00:00Z') : null,
        })),
      ),
    );

    const hooks = await endpoint(store.id, 'webhook');
    const klaviyo = await endpoint(store.id, 'klaviyo');
    await delivery(store.id, hooks, 'shipment.delivered', 'succeeded', '2026-11-15T12:00:00Z');
    await delivery(store.id, hooks, 'shipment.delivered', 'succeeded', '2026-11-16T12:00:00Z');
    await delivery(store.id, hooks, 'shipment.delivered', 'failed', '2026-11-17T12:00:00Z');
    await delivery(store.id, hooks, 'shipment.delivered', 'pending', '2026-11-18T12:00:00Z'); // still being tried
    await delivery(store.id, hooks, 'webhook.test', 'succeeded', '2026-11-18T12:00:00Z'); // the owner's test
    await delivery(store.id, klaviyo, 'shipment.shipped', 'succeeded', '2026-11-19T12:00:00Z');
    await delivery(store.id, hooks, 'shipment.shipped', 'succeeded', '2026-12-01T12:00:00Z'); // after the period
    const otherHooks = await endpoint(other.id, 'webhook');
    await delivery(other.id, otherHooks, 'shipment.delivered', 'succeeded', '2026-11-15T12:00:00Z');

    const f = await readMessageFigures(store.id, PERIOD, 'UTC');
    const none = { failed: 0, suppressed: 0, clicks: 0, clickedMessages: 0 };
    expect(f.rows).toEqual([
      { channel: 'email', kind: 'shipped', sent: 2, failed: 0, suppressed: 1, clicks: 2, clickedMessages: 1, clickPercent: 50 },
      { channel: 'klaviyo', kind: 'shipment.shipped', sent: 1, ...none, clickPercent: 0 },
      { channel: 'push', kind: 'delivered', sent: 0, ...none, failed: 1, clickPercent: null },
      { channel: 'webhook', kind: 'shipment.delivered', sent: 2, ...none, failed: 1, clickPercent: 0 },
    ]);
    expect(f.totals).toEqual({ sent: 5, failed: 2, suppressed: 1, clicks: 2, clickedMessages: 1, clickPercent: 20, unsubscribed: 0 });
  });
});
