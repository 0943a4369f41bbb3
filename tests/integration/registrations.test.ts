// Care guides and warranty registration over real HTTP against the real server: the delivered
// email (read from a real SMTP server in this process) and the order page show the care guide;
// the shopper registers (303), registers again (one registration), is refused with 422 (nothing
// recorded); the API lists registrations per store; the back office exports CSV; a claim opens a
// case with the registration; the reminder goes a month before the end, with consent only, once
// (manualClock drives the scan and the email job in this process).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, dayInZone, formatLongDay } from '../../src/lib/dates.ts';
import { manualClock } from '../../src/server/clock.ts';
import { resetConfig } from '../../src/server/config.ts';
import { db, firstRow, schema, transaction, useDatabase } from '../../src/server/db.ts';
import { isAppError } from '../../src/server/errors.ts';
import { startJobs } from '../../src/server/jobs/registry.ts';
import { loadOrder } from '../../src/server/orders/load-order.ts';
import { startWarrantyClaim } from '../../src/server/registrations/start-warranty-claim.ts';
import { reminderDueAt } from '../../src/server/registrations/warranty-reminder-time.ts';
import { getStoreById } from '../../src/server/stores/get-store.ts';
import { api, cli, postForm } from '../support/http.ts';
import { carrierEvent, createOrder, createPushStore } from '../support/push-journey.ts';
import { passLeaseTime } from '../support/leases.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { waitUntil } from '../support/wait.ts';
import { withLinkTargets } from '../support/email-links.ts';

const SECRET = 'test-server-secret-test-server-secret-01';
const PASSWORD = 'correct horse battery staple';
let smtp: SmtpSink;
let server: TestServer;
let key: string;
let otherKey: string;
let cookie: string;
let path: string;

const ITEMS = [
  { sku: 'KETTLE-S', productId: 'KETTLE', title: 'Steel kettle', quantity: 1, unitAmount: 5900 },
  { sku: 'MUG', title: 'Camp mug', quantity: 1, unitAmount: 1500 },
];
const CARE = {
  title: 'Keep it free of limescale',
  body: 'Descale it once a month with water and vinegar.\n\nRinse <b>twice</b> before the next brew.',
  url: 'https://kettles.example/care',
};
const registrations = () => db().select().from(schema.registrations);
const toAnn = () => smtp.received.filter((m) => m.to.includes('ann@example.com'));

async function order(number: string, code: string, email = 'ann@example.com') {
  return createOrder(server, key, number, code, {
    email,
    timeZone: 'UTC',
    items: ITEMS,
    shipments: [
      {
        carrier: 'USPS',
        trackingCode: code,
        items: [
          { sku: 'KETTLE-S', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ],
      },
    ],
  });
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  server = await startTestServer({ WAYPOST_WORKER: '1', WAYPOST_SMTP_URL: smtp.url, WAYPOST_MAIL_FROM: 'updates@waypost.test' });
  key = createPushStore(server, 'kit', 'Kettle Kit');
  otherKey = cli<{ apiKey: string }>(server.dataDir, ['stores:create', '--slug', 'elsewhere', '--name', 'Elsewhere']).apiKey;
  cli(server.dataDir, ['users:create', '--store', 'kit', '--email', 'sam@kit.example', '--role', 'staff'], { WAYPOST_PASSWORD: PASSWORD });
  expect((await api(server.url, key, 'PATCH', '/api/v1/store', { notifications: { quietHours: { enabled: false } } })).status).toBe(200);
  const kettle = await api(server.url, key, 'PUT', '/api/v1/products/KETTLE', {
    title: 'Steel kettle',
    variants: [{ sku: 'KETTLE-S', title: 'Steel', available: true }],
    careGuide: CARE,
    warrantyMonths: 24,
  });
  expect(kettle.status, kettle.text).toBeLessThan(300);
  const mug = await api(server.url, key, 'PUT', '/api/v1/products/MUG', {
    title: 'Camp mug',
    variants: [{ sku: 'MUG', title: 'Mug', available: true }],
  });
  expect(mug.status, mug.text).toBeLessThan(300);
  path = (await order('W-1', 'WARR0001')).path;
  useDatabase(server.database);
  const signIn = await postForm(server.url, '/admin/login', { email: 'sam@kit.example', password: PASSWORD });
  expect(signIn.status).toBe(303);
  cookie = /wp_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

describe('before delivery', () => {
  it('refuses a registration with 422 and records nothing; the page shows no guide or form yet', async () => {
    const r = await postForm(server.url, `${path}/registrations`, { sku: 'KETTLE-S' });
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('has not been delivered yet');
    expect(await registrations()).toEqual([]);
    const page = await (await fetch(server.url + path)).text();
    expect(page).not.toContain(CARE.title);
    expect(page).not.toContain('Register your product');
  });
});

describe('after delivery', () => {
  it('the delivered email carries the care guide, escaped, with the full guide link', async () => {
    await carrierEvent(server, 'kit', 'WARR0001', 'delivered', 'arrived_at_destination');
    await waitUntil(() => toAnn().some((m) => m.mail.subject?.includes('delivered')), 20_000);
    const { mail } = toAnn().find((m) => m.mail.subject?.includes('delivered'))!;
    const html = await withLinkTargets(String(mail.html), { html: true });
    const text = await withLinkTargets(mail.text ?? '');
    expect(html).toContain(CARE.title);
    expect(html).toContain('Descale it once a month with water and vinegar.');
    expect(html).toContain('Rinse &#60;b&#62;twice&#60;/b&#62; before the next brew.');
    expect(html).not.toContain('<b>twice</b>');
    expect(html).toContain(`href="${CARE.url}"`);
    expect(html).toContain('Read the full guide');
    expect(text).toContain('Rinse <b>twice</b> before the next brew.');
    expect(text).toContain(`Read the full guide: ${CARE.url}`);
  });

  it('the order page shows the care guide as plain paragraphs and a registration form pre-filled from the order', async () => {
    const page = await (await fetch(server.url + path)).text();
    expect(page).toContain(CARE.title);
    expect(page).toContain('<p dir="auto">Descale it once a month with water and vinegar.</p>');
    expect(page).toContain('Rinse &lt;b&gt;twice&lt;/b&gt; before the next brew.');
    expect(page).toContain(`href="${CARE.url}"`);
    expect(page).toContain('Read the full guide');
    expect(page).toContain('Register your Steel kettle');
    expect(page).toContain('Ann Lee');
    expect(page).toContain('ann@example.com');
    expect(page).toContain('Remind me a month before the warranty ends');
    expect(page).not.toContain('Register your Camp mug'); // no warranty
    expect(page).not.toMatch(/name="(name|email)"/); // shown, not editable
  });

  it('registers: 303 back to the page, which confirms it and shows when the warranty ends', async () => {
    const r = await postForm(server.url, `${path}/registrations`, { sku: 'KETTLE-S', serial: 'SN-1' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`${path}?registered=KETTLE-S#registration-KETTLE-S`);
    const ends = addMonths(dayInZone(Date.now(), 'UTC'), 24);
    const page = await (await fetch(server.url + r.headers.get('location'))).text();
    expect(page).toContain('Thank you: your Steel kettle is registered.');
    expect(page).toContain(`Warranty until ${formatLongDay(ends, 'en-US')}`);
    expect(page).toContain('Serial number: SN-1');
    expect(await registrations()).toMatchObject([
      { sku: 'KETTLE-S', serial: 'SN-1', warrantyEndsOn: ends, reminders: false, remindAt: null },
    ]);
  });

  it('registering the same SKU again keeps one registration and updates the serial', async () => {
    const r = await postForm(server.url, `${path}/registrations`, { sku: 'KETTLE-S', serial: 'SN-2' });
    expect(r.status).toBe(303);
    const rows = await registrations();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ serial: 'SN-2' });
  });

  it('refuses bad input with 422 and a page saying why, recording nothing', async () => {
    const before = await registrations();
    const cases: [Record<string, string>, string][] = [
      [{ sku: 'NOPE' }, 'That product is not part of this order.'],
      [{ sku: 'MUG' }, 'That product has no warranty to register.'],
      [{ sku: 'KETTLE-S', serial: 'x'.repeat(101) }, 'The serial number can be at most 100 characters long.'],
      [{}, 'That product is not part of this order.'],
    ];
    for (const [fields, says] of cases) {
      const r = await postForm(server.url, `${path}/registrations`, fields);
      expect(r.status, JSON.stringify(fields)).toBe(422);
      const html = await r.text();
      expect(html).toContain(says);
      expect(html).toContain('We could not register your product');
    }
    expect(await registrations()).toEqual(before);
  });
});

describe('listing', () => {
  it('GET /api/v1/registrations lists the store’s registrations with warrantyEndsOn; another store’s key sees none', async () => {
    const r = await api(server.url, key, 'GET', '/api/v1/registrations');
    expect(r.status).toBe(200);
    const today = dayInZone(Date.now(), 'UTC');
    expect(r.json).toEqual({
      registrations: [
        {
          id: expect.any(String),
          orderNumber: 'W-1',
          productId: 'KETTLE',
          sku: 'KETTLE-S',
          title: 'Steel kettle',
          serial: 'SN-2',
          email: 'ann@example.com',
          registeredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          deliveredOn: today,
          warrantyEndsOn: addMonths(today, 24),
          reminders: false,
        },
      ],
      nextCursor: null,
    });
    expect((await api(server.url, key, 'GET', '/api/v1/registrations?product=KETTLE')).json.registrations).toHaveLength(1);
    expect((await api(server.url, key, 'GET', '/api/v1/registrations?product=MUG')).json.registrations).toHaveLength(0);
    expect((await api(server.url, otherKey, 'GET', '/api/v1/registrations')).json).toEqual({ registrations: [], nextCursor: null });
    expect((await api(server.url, null, 'GET', '/api/v1/registrations')).status).toBe(401);
    const bad = await api(server.url, key, 'GET', '/api/v1/registrations?limit=0');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it('pages with a cursor', async () => {
    const second = await order('W-2', 'WARR0002', 'bo@example.com');
    await carrierEvent(server, 'kit', 'WARR0002', 'delivered', 'arrived_at_destination');
    await waitUntil(
      async () =>
        (await postForm(server.url, `${second.path}/registrations`, { sku: 'KETTLE-S', serial: '=HYPERLINK("x")' })).status === 303,
    );
    const one = await api(server.url, key, 'GET', '/api/v1/registrations?limit=1');
    expect(one.json.registrations.map((r: { orderNumber: string }) => r.orderNumber)).toEqual(['W-2']);
    const two = await api(server.url, key, 'GET', `/api/v1/registrations?limit=1&cursor=${one.json.nextCursor}`);
    expect(two.json.registrations.map((r: { orderNumber: string }) => r.orderNumber)).toEqual(['W-1']);
    expect(two.json.nextCursor).toBeNull();
  });

  it('the back office lists them and exports CSV with formula-looking cells defused', async () => {
    const list = await fetch(`${server.url}/admin/registrations`, { headers: { cookie } });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('Steel kettle');
    expect(html).toContain('href="/admin/registrations.csv"');
    expect(html).toContain('href="/admin/registrations" aria-current="page"');
    const csv = await fetch(`${server.url}/admin/registrations.csv`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toBe('id,orderNumber,productId,sku,title,serial,customerName,email,registeredAt,deliveredOn,warrantyEndsOn,reminders');
    expect(lines[1]).toContain(`,W-2,KETTLE,KETTLE-S,Steel kettle,"'=HYPERLINK(""x"")",`);
    expect(lines[2]).toContain(',W-1,KETTLE,KETTLE-S,Steel kettle,SN-2,Ann Lee,ann@example.com,');
    expect(lines).toHaveLength(4); // header, two rows, the final line end
    expect((await fetch(`${server.url}/admin/registrations.csv`, { redirect: 'manual' })).status).toBe(303);
  });
});

describe('warranty claim', () => {
  it('opens a case for a person with the registration attached, shown in the cases queue', async () => {
    const reg = (await firstRow(db().select().from(schema.registrations).where(eq(schema.registrations.serial, 'SN-2'))))!;
    const empty = await postForm(server.url, `${path}/registrations/claim`, { registration: reg.id, message: '' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Tell us what is wrong');
    const r = await postForm(server.url, `${path}/registrations/claim`, { registration: reg.id, message: 'It no longer heats up' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`${path}?claimed=KETTLE-S#registration-KETTLE-S`);
    const page = await (await fetch(server.url + path)).text();
    expect(page).toContain('Your warranty claim is with Kettle Kit.');
    const cases = await api(server.url, key, 'GET', '/api/v1/cases');
    expect(cases.json.cases).toMatchObject([
      {
        kind: 'warranty_claim',
        source: 'warranty',
        message: 'It no longer heats up',
        orderNumber: 'W-1',
        registration: {
          sku: 'KETTLE-S',
          title: 'Steel kettle',
          serial: 'SN-2',
          deliveredOn: reg.deliveredOn,
          warrantyEndsOn: reg.warrantyEndsOn,
        },
      },
    ]);
    const queue = await (await fetch(`${server.url}/admin/cases`, { headers: { cookie } })).text();
    expect(queue).toContain('Warranty claim');
    expect(queue).toContain(`warranty until ${reg.warrantyEndsOn}`);
    const detail = await (await fetch(`${server.url}/admin/cases/${cases.json.cases[0].id}`, { headers: { cookie } })).text();
    expect(detail).toContain('Registered product');
    expect(detail).toContain(`covered until ${reg.warrantyEndsOn}`);
    // Another tap adds to the same case.
    await postForm(server.url, `${path}/registrations/claim`, { registration: reg.id, message: 'Still cold' });
    expect((await api(server.url, key, 'GET', '/api/v1/cases')).json.cases).toHaveLength(1);
  });

  it('is not possible once the warranty has ended, and says so', async () => {
    const reg = (await firstRow(db().select().from(schema.registrations).where(eq(schema.registrations.serial, 'SN-2'))))!;
    const store = (await getStoreById(reg.storeId))!;
    const later = Date.parse(`${addMonths(reg.warrantyEndsOn, 1)}T12:00:00Z`);
    const o = (await loadOrder(store, { id: reg.orderId }, later))!;
    const err = await startWarrantyClaim({ order: o, input: { registration: reg.id, message: 'Broken' }, now: later }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(err, 'invalid')).toBe(true);
    // Over HTTP, for the second order's registration as if its warranty had ended yesterday.
    const secondOrder = (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.number, 'W-2'))))!;
    const reg2 = (await firstRow(db().select().from(schema.registrations).where(eq(schema.registrations.orderId, secondOrder.id))))!;
    await transaction((tx) =>
      tx.update(schema.registrations).set({ warrantyEndsOn: '2020-01-31' }).where(eq(schema.registrations.id, reg2.id)),
    );
    const link = new URL((await api(server.url, key, 'GET', '/api/v1/orders/W-2')).json.trackingUrl).pathname;
    const r = await postForm(server.url, `${link}/registrations/claim`, { registration: reg2.id, message: 'Broken' });
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('The warranty has ended, so a claim can no longer be started here.');
    const casesNow = await api(server.url, key, 'GET', '/api/v1/cases');
    expect(casesNow.json.cases).toHaveLength(1);
  });
});

describe('warranty reminder', () => {
  it('goes by email a month before the end, only with consent, once per registration', async () => {
    // This process runs the reminder scan and the email job on a hand-moved clock, sending to the same SMTP server.
    Object.assign(process.env, {
      WAYPOST_SECRET: SECRET,
      WAYPOST_SMTP_URL: smtp.url,
      WAYPOST_MAIL_FROM: 'updates@waypost.test',
      WAYPOST_PUBLIC_URL: server.url,
    });
    resetConfig();
    const third = await order('W-3', 'WARR0003', 'cy@example.com');
    await carrierEvent(server, 'kit', 'WARR0003', 'delivered', 'arrived_at_destination');
    await waitUntil(
      async () => (await postForm(server.url, `${third.path}/registrations`, { sku: 'KETTLE-S', reminders: '1' })).status === 303,
    );
    const thirdOrder = (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.number, 'W-3'))))!;
    const reg = (await firstRow(db().select().from(schema.registrations).where(eq(schema.registrations.orderId, thirdOrder.id))))!;
    expect(reg.reminders).toBe(true);
    const due = reminderDueAt(reg.warrantyEndsOn, 'UTC');
    expect(dayInZone(due, 'UTC')).toBe(addMonths(reg.warrantyEndsOn, -1));
    const clock = manualClock(due - 3_600_000);
    // The server's own worker holds the one-worker job's lease (on the database's clock): a day passes for leases.
    await passLeaseTime(86_400_000);
    const jobs = startJobs({ autoStart: false, now: clock.now, only: ['warranty-reminders', 'email'] });
    try {
      expect(await jobs.job('warranty-reminders').runOnce()).toBe(0); // an hour early
      clock.set(due + 60_000);
      expect(await jobs.job('warranty-reminders').runOnce()).toBe(1); // W-3 only: W-1 and W-2 did not ask
      await jobs.job('email').runOnce();
      const toCy = () => smtp.received.filter((m) => m.to.includes('cy@example.com') && m.mail.subject?.includes('warranty'));
      await waitUntil(() => toCy().length === 1);
      const { mail } = toCy()[0]!;
      expect(mail.subject).toBe('The warranty on your order #W-3 ends in a month');
      expect(String(mail.html)).toContain(`Warranty until ${formatLongDay(reg.warrantyEndsOn, 'en-US')}`);
      expect(await withLinkTargets(mail.text ?? '')).toContain(`${third.path}#registration-KETTLE-S`);
      // Once: another round, a re-registration and a month later send nothing more.
      await postForm(server.url, `${third.path}/registrations`, { sku: 'KETTLE-S', reminders: '1', serial: 'S-9' });
      clock.advance(20 * 86_400_000);
      await jobs.job('warranty-reminders').runOnce();
      await jobs.job('email').runOnce();
      const ledger = await db()
        .select()
        .from(schema.messages)
        .where(and(eq(schema.messages.kind, 'warranty_reminder'), eq(schema.messages.channel, 'email')));
      expect(ledger.map((m) => [m.recipient, m.status])).toEqual([['cy@example.com', 'sent']]);
      expect(toCy()).toHaveLength(1);
      expect(smtp.received.filter((m) => m.mail.subject?.includes('warranty') && !m.to.includes('cy@example.com'))).toEqual([]);
    } finally {
      await jobs.stop();
    }
  });
});
