// Staff approve a return the store reviews first, over real HTTP with the real @easypost/api client
// against the emulator: the label is bought at once through the shopper's use case, exactly once;
// a purchase EasyPost refuses is shown to staff with the carrier's words (never "saved"), the
// return stays approved without a label, and trying again buys it once.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { closeDatabase, db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { orderBody } from '../fixtures/factories.ts';
import { api, cli, postForm } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

const PASSWORD = 'approve-returns-password-2026';
let server: TestServer;
let emu: Emulator;
let key: string;
let orderPath: string;
let cookie: string;

beforeAll(async () => {
  emu = await startEmulator({ autoTick: false });
  server = await startTestServer({ EASYPOST_BASE_URL: emu.baseUrl });
  key = cli<{ apiKey: string }>(server.dataDir, [
    'stores:create',
    '--slug',
    'camp',
    '--name',
    'Camp',
    '--easypost-key',
    'EZAK_camp_1',
  ]).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'camp', '--email', 'sam@camp.example', '--role', 'staff'], {
    WAYPOST_PASSWORD: PASSWORD,
  });
  const patch = await api(server.url, key, 'PATCH', '/api/v1/store', {
    returnAddress: RETURN_ADDRESS,
    policies: { returns: { approval: 'review' } },
  });
  expect(patch.status).toBe(200);
  const r = await api(
    server.url,
    key,
    'POST',
    '/api/v1/orders',
    orderBody({
      number: 'A-1',
      items: [{ sku: 'MUG', title: 'Camp mug', quantity: 3, unitAmount: 1500 }],
      shipments: [{ carrier: 'USPS', trackingCode: '9400122200000000000077', items: [{ sku: 'MUG', quantity: 3 }] }],
    }),
  );
  expect(r.status).toBe(201);
  orderPath = new URL(r.json.trackingUrl).pathname;
  useDatabase(server.database);
  const yesterday = Date.now() - 86_400_000;
  await transaction((tx) =>
    tx.update(schema.shipments).set({ status: 'delivered', deliveredAt: yesterday, firstScanAt: yesterday, nextSyncAt: null }),
  );
  const signIn = await postForm(server.url, '/admin/login', { email: 'sam@camp.example', password: PASSWORD });
  expect(signIn.status).toBe(303);
  cookie = /wp_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
});
afterAll(async () => {
  await closeDatabase();
  await server?.stop();
  await emu?.close();
});

const buys = () => emu.calls.filter((c) => c.method === 'POST' && /\/v2\/shipments\/[^/]+\/buy$/.test(c.path) && c.status === 200);
const returnRow = async (id: string) => (await firstRow(db().select().from(schema.returns).where(eq(schema.returns.id, id))))!;
const act = (id: string, to: string) => postForm(server.url, `/admin/returns/${id}`, { to }, { cookie });

/** A request for one mug, waiting for review; its id. */
async function requestReturn(n: number): Promise<string> {
  const r = await postForm(server.url, `${orderPath}/returns`, {
    key: `approve-key-${String(n).padStart(12, '0')}`,
    resolution: 'refund',
    'qty[MUG]': '1',
    'reason[MUG]': 'changed_mind',
  });
  expect(r.status).toBe(303);
  const list = await api(server.url, key, 'GET', '/api/v1/returns?status=requested');
  return list.json.returns[0].id;
}

describe('staff approve a return', () => {
  it('buys the label at once, once; approving again buys nothing more', async () => {
    const id = await requestReturn(1);
    expect(buys()).toHaveLength(0);
    const page = await (await fetch(`${server.url}/admin/returns/${id}`, { headers: { cookie } })).text();
    expect(page).toContain('Approve and send the label');
    const approved = await act(id, 'approved');
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toBe(`/admin/returns/${id}?done=approved`);
    expect(await returnRow(id)).toMatchObject({ status: 'label_ready', labelState: 'bought' });
    expect(buys()).toHaveLength(1);
    const done = await (await fetch(server.url + approved.headers.get('location'), { headers: { cookie } })).text();
    expect(done).toContain('Saved: Approved.');
    expect(done).toContain('Mark received');
    // A second click (another tab) is refused by the state machine and buys nothing.
    const again = await act(id, 'approved');
    expect(again.status).toBe(409);
    expect(buys()).toHaveLength(1);
    // The request left the cases queue.
    const cases = await api(server.url, key, 'GET', '/api/v1/cases?kind=return_review&status=open');
    expect(cases.json.cases).toHaveLength(0);
  });

  it('a purchase EasyPost refuses is shown to staff, the return stays approved, and trying again buys it once', async () => {
    const id = await requestReturn(2);
    emu.inject({
      path: /\/buy$/,
      method: 'POST',
      status: 422,
      code: 'SHIPMENT.POSTAGE.FAILURE',
      message: 'Unable to purchase postage: insufficient funds in the account.',
    });
    const failed = await act(id, 'approved');
    expect(failed.status).toBe(502);
    const html = await failed.text();
    expect(html).toContain('Approved, but the label could not be bought');
    expect(html).toContain('insufficient funds');
    expect(html).not.toContain('Saved:');
    expect(html).toContain('Try buying the label again');
    const row = await returnRow(id);
    expect(row).toMatchObject({ status: 'approved', labelState: 'failed', labelAttempts: 1 });
    expect(row.approvedAt).not.toBeNull();
    expect(buys()).toHaveLength(1); // the first test's only
    const events = await db().select().from(schema.returnEvents).where(eq(schema.returnEvents.returnId, id));
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['approved', 'label_failed']));

    const retried = await act(id, 'label');
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toBe(`/admin/returns/${id}?done=label`);
    expect(await returnRow(id)).toMatchObject({ status: 'label_ready', labelState: 'bought', labelError: null });
    expect(buys()).toHaveLength(2);
    // Nothing left to buy: asking again changes nothing.
    expect((await act(id, 'label')).status).toBe(303);
    expect(buys()).toHaveLength(2);
  });
});
