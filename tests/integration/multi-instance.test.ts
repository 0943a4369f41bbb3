// Many instances over one PostgreSQL database, as the README's deployment runs them: two portals
// (WAYPOST_WORKER=0) and two workers (`waypost worker`), each a process of its own with its own data
// directory, nothing shared but the database and the environment. Carrier webhooks arrive at both
// portals at once, each event twice and out of order; along the way a worker is killed (-9) in the
// middle of a push, another is paused (SIGSTOP) past its lease and resumed, and every database
// connection is cut once (pg_terminate_backend). Then: every acknowledged webhook was applied
// exactly once, no device got the same notification twice, and a change through one portal shows
// on the other's page within 500 ms (p99).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody, startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { api, cli, postForm } from '../support/http.ts';
import { createOrder, subscribe } from '../support/push-journey.ts';
import { startPushService, type PushService } from '../support/push-service.ts';
import { databaseFromTemplate, pgAdminUrl } from '../support/pg.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { waitUntil } from '../support/wait.ts';
import { RETURN_ADDRESS } from '../unit/returns/scenario.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'push-journey-webhook-secret'; // createPushStore's webhook secret
const vapid = webpush.generateVAPIDKeys();

let push: PushService;
let emu: Emulator;
let databaseUrl: string;
let sql: pg.Client;
const portals: TestServer[] = [];
const workers: { process: ChildProcess; output: string[] }[] = [];

/** What every instance is given: the same database, secret, VAPID keys and push service, short leases. */
const shared = () => ({
  DATABASE_URL: databaseUrl,
  WAYPOST_SECRET: 'test-server-secret-test-server-secret-01',
  VAPID_PUBLIC_KEY: vapid.publicKey,
  VAPID_PRIVATE_KEY: vapid.privateKey,
  VAPID_SUBJECT: 'mailto:ops@waypost.example',
  WAYPOST_PUSH_HOSTS: push.host,
  EASYPOST_BASE_URL: emu.baseUrl,
  WAYPOST_PUSH_LEASE_MS: '3000',
  WAYPOST_LOG_LEVEL: 'warn',
});

/**
 * `npm run waypost -- worker` in a process of its own; resolves once its jobs run. Every job but
 * carrier sync: only the test's webhooks move parcels (the emulator's trackers stand still).
 */
const JOBS =
  'return-labels,push,webhooks,email,delay-scan,review-invitations,checkins,held-reviews,warranty-reminders,after-delivery,prune';
async function startWorker(): Promise<{ process: ChildProcess; output: string[] }> {
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', join(root, 'src/cli/main.ts'), 'worker', '--only', JOBS],
    {
      cwd: root,
      env: { ...process.env, ...shared(), WAYPOST_DATA_DIR: mkdtempSync(join(tmpdir(), 'waypost-worker-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const w = { process: child, output: [] as string[] };
  workers.push(w);
  child.stdout!.on('data', (c: Buffer) => w.output.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => w.output.push(c.toString()));
  await waitUntil(() => w.output.join('').includes('jobs running:') || child.exitCode !== null, 60_000);
  if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}:\n${w.output.join('')}`);
  return w;
}

const exited = (p: ChildProcess) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)));

/** A carrier event as EasyPost sends it; `message` is the carrier's text, shown on the order page as is. */
function trackerEvent(code: string, status: string, detail: string, at: number, message: string): string {
  const when = new Date(at).toISOString();
  return JSON.stringify({
    object: 'Event',
    id: `evt_${code}_${status}_${at}`,
    description: 'tracker.updated',
    result: {
      id: `trk_${code}`,
      object: 'Tracker',
      tracking_code: code,
      status,
      status_detail: detail,
      updated_at: when,
      tracking_details: [
        {
          object: 'TrackingDetail',
          message,
          status,
          status_detail: detail,
          datetime: when,
          tracking_location: { city: 'Tacoma', state: 'WA', country: 'US', zip: null },
        },
      ],
    },
  });
}

/** Posts a webhook until it is acknowledged (2xx), as EasyPost retries; resolves to the tries it took. */
async function deliver(portal: TestServer, slug: string, body: string): Promise<number> {
  for (let tries = 1; ; tries++) {
    try {
      const r = await fetch(`${portal.url}/api/webhooks/easypost/${slug}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hmac-signature': signBody(body, SECRET) },
        body,
      });
      await r.arrayBuffer();
      if (r.ok) return tries;
      if (r.status < 500 && r.status !== 429) throw new Error(`webhook refused with ${r.status}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('webhook refused')) throw err;
    }
    if (tries >= 50) throw new Error('webhook never acknowledged');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The outbox row a held push belongs to, and the worker process (by its pid in the lease owner) sending it. */
async function sendingRow(): Promise<{ id: string; pid: number }> {
  const { rows } = await sql.query<{ id: string; lease_owner: string }>(
    "select id, lease_owner from notification_outbox where status = 'sending' and lease_owner is not null",
  );
  expect(rows).toHaveLength(1);
  return { id: rows[0]!.id, pid: Number(rows[0]!.lease_owner.split(':')[1]) };
}

const workerOf = (pid: number) => workers.find((w) => w.process.pid === pid)!;

interface Parcel {
  number: string;
  code: string;
  path: string;
  device: string;
}

describe.skipIf(!pgAdminUrl())('two portals and two workers over one PostgreSQL database', () => {
  const slug = 'fleet';
  const parcels: Parcel[] = [];
  let key: string;

  beforeAll(async () => {
    push = await startPushService();
    emu = await startEmulator({ autoTick: false });
    databaseUrl = await databaseFromTemplate();
    sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();
    for (let i = 0; i < 2; i++) portals.push(await startTestServer({ ...shared(), WAYPOST_WORKER: '0' }));
    key = cli<{ apiKey: string }>(portals[0]!.dataDir, [
      'stores:create',
      '--slug',
      slug,
      '--name',
      'Fleet Outfitters',
      '--webhook-secret',
      SECRET,
      '--easypost-key',
      'EZAK_fleet_key_1',
    ]).apiKey;
    expect((await api(portals[0]!.url, key, 'PATCH', '/api/v1/store', { returnAddress: RETURN_ADDRESS })).status).toBe(200);
    for (let i = 0; i < 24; i++) {
      const number = String(7000 + i);
      const code = `FLEET${number}`;
      const order = await createOrder(portals[i % 2]!, key, number, code);
      const device = push.newDevice();
      // Each device follows its order through the other portal than the one that took the order.
      expect((await subscribe(portals[(i + 1) % 2]!, order.path, device.subscription)).status).toBe(201);
      parcels.push({ number, code, path: order.path, device: device.id });
    }
    await Promise.all([startWorker(), startWorker()]);
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) {
      if (w.process.signalCode === 'SIGSTOP' || w.process.exitCode === null) w.process.kill('SIGCONT');
      if (w.process.exitCode === null && w.process.signalCode === null) {
        w.process.kill('SIGTERM');
        await exited(w.process);
      }
    }
    for (const p of portals) if (p.process.signalCode === null) await p.stop();
    await sql?.end();
    await push?.close();
    await emu?.close();
  }, 60_000);

  it('a worker killed (-9) in the middle of a push: the other sends the rest, that push is never sent again', async () => {
    const victim = parcels[0]!;
    push.answer(victim.device, 'hold'); // the push service takes the message and never answers
    const held = push.held();
    await deliver(
      portals[0]!,
      slug,
      trackerEvent(victim.code, 'in_transit', 'arrived_at_facility', Date.now() - 90 * 60_000, 'Arrived at the hub'),
    );
    await held;
    const row = await sendingRow();
    const killed = workerOf(row.pid);
    killed.process.kill('SIGKILL');
    await exited(killed.process);

    // The survivor closes the dead sender's row as abandoned once its lease runs out (at most once)...
    await waitUntil(async () => {
      const { rows } = await sql.query('select status from notification_outbox where id = $1', [row.id]);
      return rows[0]?.status === 'abandoned';
    }, 20_000);
    // ...and sends the next news for that device as usual.
    await deliver(
      portals[1]!,
      slug,
      trackerEvent(victim.code, 'out_for_delivery', 'out_for_delivery', Date.now() - 30 * 60_000, 'With the driver'),
    );
    await waitUntil(() => push.received.filter((r) => r.device === victim.device).length >= 2, 20_000);
    expect(push.received.filter((r) => r.device === victim.device).map((r) => r.payload.body)).toEqual([
      `Your order #${victim.number} is on its way.`,
      `Your order #${victim.number} is out for delivery today.`,
    ]);
    await startWorker(); // two workers again for what follows
  }, 120_000);

  it('a worker paused past its lease records nothing and sends nothing once resumed', async () => {
    const victim = parcels[1]!;
    push.answer(victim.device, 'hold');
    const held = push.held();
    await deliver(
      portals[1]!,
      slug,
      trackerEvent(victim.code, 'in_transit', 'arrived_at_facility', Date.now() - 90 * 60_000, 'Arrived at the hub'),
    );
    await held;
    const row = await sendingRow();
    const paused = workerOf(row.pid);
    paused.process.kill('SIGSTOP');
    try {
      // Its lease runs out on the database's clock; the other worker closes the row as abandoned.
      await waitUntil(async () => {
        const { rows } = await sql.query('select status from notification_outbox where id = $1', [row.id]);
        return rows[0]?.status === 'abandoned';
      }, 20_000);
      // News meanwhile goes out through the worker still running.
      const other = parcels[2]!;
      await deliver(
        portals[0]!,
        slug,
        trackerEvent(other.code, 'in_transit', 'arrived_at_facility', Date.now() - 80 * 60_000, 'Arrived at the hub'),
      );
      await waitUntil(() => push.received.some((r) => r.device === other.device), 20_000);
    } finally {
      paused.process.kill('SIGCONT');
    }
    // Resumed, the push service finally answers it: the paused worker may not record its send over
    // the abandoned row, nor send anything it had claimed.
    push.releaseHeld(201);
    await new Promise((r) => setTimeout(r, 2_000));
    const { rows } = await sql.query('select status, lease_owner from notification_outbox where id = $1', [row.id]);
    expect(rows[0]).toEqual({ status: 'abandoned', lease_owner: null });
    expect(push.received.filter((r) => r.device === victim.device)).toHaveLength(1);
  }, 120_000);

  it('a worker killed (-9) in the middle of a label purchase: the other buys it, one label in all', async () => {
    const buys = () => emu.calls.filter((c) => c.method === 'POST' && /\/v2\/shipments\/[^/]+\/buy$/.test(c.path));
    const order = await createOrder(portals[0]!, key, '7900', 'FLEET7900');
    await deliver(
      portals[0]!,
      slug,
      trackerEvent('FLEET7900', 'delivered', 'arrived_at_destination', Date.now() - 86_400_000, 'Left at the door'),
    );
    // The confirming page's own attempt fails (EasyPost answers 500): the return waits for a worker.
    emu.inject({ method: 'POST', path: /\/buy$/, status: 500 });
    const confirmed = await postForm(portals[1]!.url, `${order.path}/returns`, {
      key: 'fleet-return-key-0000001',
      resolution: 'refund',
      'qty[TENT-2P]': '1',
      'reason[TENT-2P]': 'too_small',
    });
    expect(confirmed.status).toBe(303);
    const { rows: made } = await sql.query<{ id: string; label_state: string }>('select id, label_state from returns');
    expect(made).toEqual([{ id: expect.any(String), label_state: 'failed' }]);
    const returnId = made[0]!.id;

    // The next purchase hangs at EasyPost; it is due now (its backoff, fast-forwarded).
    emu.inject({ method: 'POST', path: /\/buy$/, delayMs: 60_000 });
    const before = buys().length;
    await sql.query('update returns set label_next_attempt_at = 0 where id = $1', [returnId]);
    await waitUntil(() => buys().length > before, 20_000);
    const { rows: leased } = await sql.query<{ label_lease_owner: string }>('select label_lease_owner from returns where id = $1', [
      returnId,
    ]);
    const buyer = workerOf(Number(leased[0]!.label_lease_owner.split(':')[1]));
    buyer.process.kill('SIGKILL');
    await exited(buyer.process);

    // The purchase lease (a minute) runs out, fast-forwarded; the other worker buys the label.
    await sql.query('update returns set label_lease_until = 0, label_next_attempt_at = 0 where id = $1', [returnId]);
    const bought = await waitUntil(async () => {
      const { rows } = await sql.query<{ label_state: string; label_pdf_url: string | null }>(
        'select label_state, label_pdf_url from returns where id = $1',
        [returnId],
      );
      return rows[0]?.label_state === 'bought' ? rows[0] : null;
    }, 30_000);
    expect(bought!.label_pdf_url).toBeTruthy();
    expect(buys().filter((c) => (c.status ?? 0) >= 200 && (c.status ?? 0) < 300)).toHaveLength(1);
    await startWorker(); // two workers again for what follows
  }, 120_000);

  it('a storm of duplicate, reordered webhooks over both portals, with every connection cut once: each applied once, no push twice', async () => {
    const storm = parcels.slice(3);
    const base = Date.now() - 6 * 3_600_000;
    const steps = [
      ['in_transit', 'arrived_at_facility', 'Arrived at the hub', 0],
      ['in_transit', 'departed_facility', 'Departed the hub', 1],
      ['out_for_delivery', 'out_for_delivery', 'With the driver', 2],
      ['delivered', 'arrived_at_destination', 'Left at the front door', 3],
    ] as const;
    // Each event twice, all shuffled, to either portal.
    const jobs = storm.flatMap((p) =>
      steps
        .flatMap(([status, detail, message, h]) => {
          const body = trackerEvent(p.code, status, detail, base + h * 3_600_000, message);
          return [body, body];
        })
        .map((body) => ({ slug, body })),
    );
    for (let i = jobs.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [jobs[i], jobs[j]] = [jobs[j]!, jobs[i]!];
    }
    let next = 0;
    let cut = false;
    let retried = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < jobs.length; i = next++) {
          if (!cut && i >= jobs.length / 2) {
            cut = true;
            // Every connection of every instance to this database, cut at once.
            const r = await sql.query(
              'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
            );
            expect(r.rowCount).toBeGreaterThan(0);
          }
          retried += (await deliver(portals[i % 2]!, jobs[i]!.slug, jobs[i]!.body)) - 1;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log(`storm: ${jobs.length} webhooks in ${seconds.toFixed(1)} s over two portals, ${retried} retried after a refusal`);

    // Applied exactly once: each parcel holds its four events, once each, and ends delivered.
    const { rows } = await sql.query<{ tracking_code: string; status: string; events: number; distinct_events: number }>(
      `select s.tracking_code, s.status, count(e.id)::int as events, count(distinct e.dedupe_key)::int as distinct_events
         from shipments s left join tracking_events e on e.shipment_id = s.id
        where s.tracking_code = any($1) group by s.tracking_code, s.status`,
      [storm.map((p) => p.code)],
    );
    expect(rows).toHaveLength(storm.length);
    for (const r of rows) expect(r).toEqual({ tracking_code: r.tracking_code, status: 'delivered', events: 4, distinct_events: 4 });

    // Every push the workers sent reached its device once: no (device, notification) twice.
    await waitUntil(async () => {
      const { rows: open } = await sql.query(
        "select count(*)::int as n from notification_outbox where status in ('pending', 'claimed', 'sending')",
      );
      return open[0].n === 0;
    }, 30_000);
    const seen = new Map<string, number>();
    for (const r of push.received) {
      const k = `${r.device} ${String(r.payload.tag)} ${String(r.payload.body)}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
    const { rows: sent } = await sql.query<{ n: number }>("select count(*)::int as n from notification_outbox where status = 'sent'");
    expect(push.received.length).toBeGreaterThanOrEqual(sent[0]!.n); // the held ones were received, never recorded as sent
    expect(push.received.length - sent[0]!.n).toBeLessThanOrEqual(2);
    // Every device of the storm heard that its parcel was delivered, whatever order the news came in.
    for (const p of storm)
      expect(
        push.received.some((r) => r.device === p.device && String(r.payload.body) === `Your order #${p.number} has been delivered.`),
      ).toBe(true);
  }, 240_000);

  it('a change through one portal shows on the other portal’s page within 500 ms (p99)', async () => {
    const lags: number[] = [];
    const at = Date.now() - 5 * 60_000;
    for (let i = 0; i < 20; i++) {
      const p = parcels[3 + i]!;
      const message = `Collected by a neighbour, note ${i}`;
      const [writer, reader] = [portals[i % 2]!, portals[(i + 1) % 2]!];
      // Warm the reader's page first: the point is a page it already holds going stale.
      expect((await fetch(reader.url + p.path)).status).toBe(200);
      await deliver(writer, slug, trackerEvent(p.code, 'delivered', 'arrived_at_destination', at + i * 1000, message));
      const t0 = performance.now();
      await waitUntil(async () => (await (await fetch(reader.url + p.path)).text()).includes(message), 5_000, 5);
      lags.push(performance.now() - t0);
    }
    lags.sort((a, b) => a - b);
    const p99 = lags[Math.ceil(lags.length * 0.99) - 1]!;
    expect(p99, `lags ${lags.map((l) => l.toFixed(0)).join(', ')} ms`).toBeLessThan(500);
  }, 120_000);
});
