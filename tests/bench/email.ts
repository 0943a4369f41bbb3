// Emails rendered and accepted per second through the real worker path: n orders written by the
// store's own write path (upsertOrder) each queue an order confirmation in the ledger, then the
// email job (startEmailSender: claim, render MJML, mark "sending", SMTP) drains them into a local
// smtp-server that only counts what it accepts (no parsing, so the figure is the sender's). Run
// twice: unsigned, and signed with a store DKIM key (RSA 2048). A temp database of its own.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { upsertOrder } from '../../src/server/changes/order-written.ts';
import { resetConfig } from '../../src/server/config.ts';
import { closeDatabase, db, firstRow, migrateDatabase, schema, useDatabase } from '../../src/server/db.ts';
import { startEmailSender } from '../../src/server/messages/run-email-sender.ts';
import { createStore } from '../../src/server/stores/create-store.ts';
import { setDkimKey } from '../../src/server/stores/dkim-key.ts';
import { orderBody } from '../fixtures/factories.ts';

export interface EmailFigures {
  sent: number;
  accepted: number;
  seconds: number;
  perSecond: number;
  failed: number;
  /** CPU (user + system) of this process per email sent while the job drained the queue, in ms: a figure a shared machine does not skew as much as the rate. */
  cpuMsPerEmail: number;
}

/** A loopback SMTP server that accepts everything and counts the messages and bytes taken. */
async function countingSmtp() {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        accepted++;
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Queues n order confirmations for a new store (signed with a DKIM key when `dkim`) and times the email job sending them. */
async function drain(n: number, dkim: boolean, smtp: Awaited<ReturnType<typeof countingSmtp>>): Promise<EmailFigures> {
  const slug = `bench-mail-${dkim ? 'dkim' : 'plain'}`;
  const { store } = await createStore({
    slug,
    name: 'Bench Outfitters',
    settings: {
      notifications: { senderAddress: 'orders@bench.example', kinds: { order_confirmed: { email: true } }, quietHours: { enabled: false } },
    },
  });
  if (dkim) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await setDkimKey(store.id, { domain: 'bench.example', selector: 's1', privateKey: pem }, { userId: null, label: 'bench' }, Date.now());
  }
  for (let i = 0; i < n; i++)
    await upsertOrder({
      storeId: store.id,
      body: orderBody({ number: `M${i}`, email: `shopper${i}@example.com`, placedAt: new Date().toISOString(), shipments: [] }),
    });
  const before = smtp.accepted();
  const sender = startEmailSender({ autoStart: false, concurrency: 16 });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  while ((await pending(store.id)) > 0) await sender.runOnce();
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  await sender.stop();
  const count = async (status: string) =>
    (await firstRow(
      db()
        .select({ n: sql<number>`count(*)` })
        .from(schema.messages)
        .where(and(eq(schema.messages.storeId, store.id), eq(schema.messages.status, status))),
    ))!.n;
  const sent = await count('sent');
  const cpuMsPerEmail = (cpu.user + cpu.system) / 1000 / Math.max(1, sent);
  return { sent, accepted: smtp.accepted() - before, seconds, perSecond: sent / seconds, failed: await count('failed'), cpuMsPerEmail };
}

async function pending(storeId: string): Promise<number> {
  const r = await firstRow(
    db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.messages)
      .where(
        and(
          eq(schema.messages.storeId, storeId),
          eq(schema.messages.channel, 'email'),
          inArray(schema.messages.status, ['queued', 'scheduled', 'sending']),
        ),
      ),
  );
  return r?.n ?? 0;
}

/** Both runs, on a temp data directory of their own. */
export async function benchEmail(n: number): Promise<{ plain: EmailFigures; signed: EmailFigures }> {
  const dir = mkdtempSync(join(tmpdir(), 'waypost-bench-email-'));
  const smtp = await countingSmtp();
  const saved = { ...process.env };
  Object.assign(process.env, {
    WAYPOST_DATA_DIR: dir,
    WAYPOST_SMTP_URL: smtp.url,
    WAYPOST_PUBLIC_URL: 'https://track.example.test',
    WAYPOST_LOG_LEVEL: 'error',
  });
  try {
    resetConfig();
    useDatabase(join(dir, 'waypost.db'));
    await migrateDatabase();
    return { plain: await drain(n, false, smtp), signed: await drain(n, true, smtp) };
  } finally {
    await closeDatabase();
    process.env = saved;
    resetConfig();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Adds this piece's figures to the benchmark's table (tests/bench/run.ts). */
export async function emailBenchRows(row: (name: string, value: string, target: string) => void): Promise<void> {
  const n = Number(process.env.WAYPOST_BENCH_EMAILS ?? 2000);
  const { plain, signed } = await benchEmail(n);
  row('email: rendered and accepted by SMTP/s (worker path)', `${plain.perSecond.toFixed(0)}/s`, '>= 300/s');
  row('email: the same, DKIM-signed (RSA 2048)', `${signed.perSecond.toFixed(0)}/s`, '>= 300/s');
  row('email: CPU per email (unsigned; signed)', `${plain.cpuMsPerEmail.toFixed(2)} ms; ${signed.cpuMsPerEmail.toFixed(2)} ms`, '');
  row(
    'email: sent, accepted, failed (unsigned; signed)',
    `${plain.sent}, ${plain.accepted}, ${plain.failed}; ${signed.sent}, ${signed.accepted}, ${signed.failed}`,
    `${n}, ${n}, 0; ${n}, ${n}, 0`,
  );
}
