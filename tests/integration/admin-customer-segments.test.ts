// The VIP rule on the back office's policies page, over real HTTP against the real server: the
// owner sets it in major units (converted by the currency's digits), it is audited on its own and
// makes no policy version, an empty box turns a rule off, bad input is refused next to its field
// with nothing saved, and staff cannot change it.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, schema, useDatabase } from '../../src/server/db.ts';
import { api, cli } from '../support/http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let key: string;
let owner: string;
let staff: string;
const OWNER = { email: 'owner@vip.example', password: 'juniper-lantern-42-river' };
const STAFF = { email: 'staff@vip.example', password: 'copper-meadow-17-harbor' };

beforeAll(async () => {
  server = await startTestServer();
  useDatabase(server.database);
  key = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'vip', '--name', 'VIP Goods']).apiKey;
  for (const [who, role] of [
    [OWNER, 'owner'],
    [STAFF, 'staff'],
  ] as const)
    cli(server.dataDir, ['users:create', '--store', 'vip', '--email', who.email, '--role', role], { WAYPOST_PASSWORD: who.password });
  owner = await signIn(OWNER);
  staff = await signIn(STAFF);
});
afterAll(() => server?.stop());

async function signIn(who: { email: string; password: string }): Promise<string> {
  const r = await fetch(`${server.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams(who).toString(),
  });
  expect(r.status).toBe(303);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

const page = async (who = owner) => (await fetch(`${server.url}/admin/policies`, { headers: { cookie: who } })).text();

/** The policies form as the page renders it now (every input, checked boxes only), with some fields changed. */
async function form(change: Record<string, string>) {
  const html = await page();
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input([^>]*)>/g)) {
    const attr = (n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(m[1]!)?.[1];
    const name = attr('name');
    if (!name) continue;
    const type = attr('type') ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !/\schecked/.test(m[1]!)) continue;
    fields.append(name, (attr('value') ?? '').replace(/&amp;/g, '&'));
  }
  for (const [k, v] of Object.entries(change)) fields.set(k, v);
  return fields;
}
// The origin header is the page's CSRF check, as a browser's form post sends it.
const post = (fields: URLSearchParams, who = owner) =>
  fetch(`${server.url}/admin/policies`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: who, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
const store = async () => (await api(server.url, key, 'GET', '/api/v1/store')).json;
const audit = () =>
  db()
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.action, 'customers.updated')));
/** The value an input shows ('' when it has none); undefined when there is no such input. */
const valueOf = (html: string, id: string) => {
  const tag = new RegExp(`<input[^>]*\\sid="${id}"[^>]*>`).exec(html)?.[0];
  return tag === undefined ? undefined : (/\svalue="([^"]*)"/.exec(tag)?.[1] ?? '');
};

describe('the VIP rule on the policies page', () => {
  it('starts empty: no VIP by orders or by spend', async () => {
    const html = await page();
    expect(html).toContain('Customer segments');
    expect(valueOf(html, 'customers-vipOrders')).toBe('');
    expect(valueOf(html, 'customers-vipSpend-amount')).toBe('');
    expect((await store()).customers).toEqual({ vipOrders: null, vipSpend: null });
  });

  it('saves the owner’s rule with the spend in minor units, audited on its own, no new policy version', async () => {
    const before = await store();
    const r = await post(
      await form({ 'customers.vipOrders': '5', 'customers.vipSpend.amount': '250.00', 'customers.vipSpend.currency': 'eur' }),
    );
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/admin/policies?saved=unversioned');
    const after = await store();
    expect(after.customers).toEqual({ vipOrders: 5, vipSpend: { amount: 25000, currency: 'EUR' } });
    expect(after.policyVersion).toBe(before.policyVersion);
    expect({ ...after, customers: before.customers }).toEqual(before);
    const entries = await audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor).toBe(OWNER.email);
    expect(entries[0]!.detail!.changes).toEqual([
      { field: 'customers.vipOrders', from: null, to: 5 },
      { field: 'customers.vipSpend', from: null, to: { amount: 25000, currency: 'EUR' } },
    ]);
    expect(await (await fetch(`${server.url}/admin/policies?saved=unversioned`, { headers: { cookie: owner } })).text()).toContain(
      `so version ${before.policyVersion} stays in force`,
    );
    // The page shows it back as it was typed.
    const html = await page();
    expect(valueOf(html, 'customers-vipSpend-amount')).toBe('250.00');
    expect(valueOf(html, 'customers-vipSpend-currency')).toBe('EUR');
    expect(valueOf(html, 'customers-vipOrders')).toBe('5');
  });

  it('counts by the currency’s digits: yen have none, dinars three', async () => {
    expect((await post(await form({ 'customers.vipSpend.amount': '30000', 'customers.vipSpend.currency': 'JPY' }))).status).toBe(303);
    expect((await store()).customers.vipSpend).toEqual({ amount: 30000, currency: 'JPY' });
    expect((await post(await form({ 'customers.vipSpend.amount': '75.5', 'customers.vipSpend.currency': 'KWD' }))).status).toBe(303);
    expect((await store()).customers.vipSpend).toEqual({ amount: 75500, currency: 'KWD' });
    expect(valueOf(await page(), 'customers-vipSpend-amount')).toBe('75.500');
  });

  it('refuses bad input next to each field and saves nothing', async () => {
    const before = await store();
    const entries = (await audit()).length;
    for (const [change, fields] of [
      [
        { 'customers.vipOrders': '1', 'customers.vipSpend.amount': '12.345', 'customers.vipSpend.currency': 'USD' },
        ['vipOrders', 'vipSpend-amount'],
      ],
      [{ 'customers.vipSpend.amount': '250', 'customers.vipSpend.currency': 'euro' }, ['vipSpend-currency']],
      [{ 'customers.vipSpend.amount': '0', 'customers.vipSpend.currency': 'USD' }, ['vipSpend-amount']],
      [{ 'customers.vipSpend.amount': 'lots', 'customers.vipSpend.currency': 'USD' }, ['vipSpend-amount']],
      [{ 'customers.vipOrders': 'many' }, ['vipOrders']],
    ] as const) {
      const r = await post(await form(change));
      expect(r.status, JSON.stringify(change)).toBe(422);
      const html = await r.text();
      const invalid = [...html.matchAll(/<input[^>]*id="customers-([^"]+)"[^>]*aria-invalid="true"/g)].map((m) => m[1]);
      expect(invalid, JSON.stringify(change)).toEqual(fields);
      for (const f of fields) expect(html).toMatch(new RegExp(`id="customers-${f}-error"`));
      // What was typed is shown again, to be corrected.
      if ('customers.vipSpend.amount' in change)
        expect(valueOf(html, 'customers-vipSpend-amount')).toBe(change['customers.vipSpend.amount']);
      if (fields.includes('vipSpend-amount' as never)) expect(html).toContain('an amount above zero such as 250.00');
    }
    expect(await store()).toEqual(before);
    expect(await audit()).toHaveLength(entries);
  });

  it('turns a rule off with an empty box', async () => {
    expect((await post(await form({ 'customers.vipOrders': '', 'customers.vipSpend.amount': '' }))).status).toBe(303);
    expect((await store()).customers).toEqual({ vipOrders: null, vipSpend: null });
  });

  it('lets staff read the rule but not change it', async () => {
    expect((await post(await form({ 'customers.vipOrders': '3' }))).status).toBe(303);
    const html = await page(staff);
    expect(valueOf(html, 'customers-vipOrders')).toBe('3');
    expect(html).toMatch(/<fieldset class="plain" disabled/);
    expect((await post(await form({ 'customers.vipOrders': '9' }), staff)).status).toBe(403);
    expect((await store()).customers.vipOrders).toBe(3);
  });
});
