// The email job: claims due ledger rows (channel email) under a lease, renders each and hands it to
// the SMTP server, a few at a time. One job of the jobs registry; it runs beside the portal or in
// `waypost worker`, so a slow SMTP server never slows a page or a webhook.
//
// Delivery is AT MOST ONCE, as for web push: just before the SMTP transaction a row is marked
// "sending" in its own commit; a row found still "sending" once its lease ran out belongs to a
// worker that died between the SMTP server's answer and recording it. It may have been accepted,
// so it is recorded "failed" (unknown outcome) and never sent again: a shopper who gets "Delivered"
// twice learns to ignore the store's mail, and the order page still says everything. A row only
// claimed (not yet "sending") goes back to the queue when its lease runs out: nothing is lost.
// Leases run on the database's clock (leases.ts), `now` (the injected clock) for the rest; every
// write after the claim holds only while the lease is this worker's and unexpired, so a worker
// paused past its lease neither sends nor records.
import { hostname } from 'node:os';
import { and, asc, eq, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { config } from '../config.ts';
import { affectedRows, db, firstRow, groupedTransaction, prepared, schema, transaction } from '../db.ts';
import { leaseExpired, leaseHeldBy, leaseUntilIn } from '../leases.ts';
import { newId, randomToken } from '../ids.ts';
import { isLanguage } from '../i18n/languages.ts';
import { productsForMessage } from '../lifecycle/products-for-message.ts';
import { log } from '../log.ts';
import { loadOrder } from '../orders/load-order.ts';
import { normalizeEmail } from '../orders/normalize.ts';
import { repeatRounds } from '../repeat-rounds.ts';
import { customerSegment } from '../orders/customer-segment.ts';
import { listDeliveredProducts } from '../orders/list-delivered-products.ts';
import { createReturnToken } from '../security/return-token.ts';
import type { MessageKind } from '../stores/notification-settings.ts';
import { toStore, type Store } from '../stores/store.ts';
import { dkimSigningFor, fromAddress, type DkimSigning } from '../stores/dkim-key.ts';
import { recordMessageLinks, trackLinks, type MessageLink } from './message-links.ts';
import { buildEmail, renderEmail, type RenderedEmail } from './render-email.ts';
import { markEmailSending, markEmailSent } from './email-ledger-writes.ts';
import { closeSmtpTransports, smtpTransport } from './smtp.ts';
import { sendMail } from './send-mail.ts';
import { createUnsubscribeToken } from './unsubscribe-token.ts';

const m = schema.messages;
const MAX_ATTEMPTS = 8;

export interface EmailSenderOptions {
  now?: () => number;
  /** false: no loop; the caller drives runOnce() (tests, the benchmark). */
  autoStart?: boolean;
  concurrency?: number;
  leaseMs?: number;
}

type Row = typeof schema.messages.$inferSelect;

/**
 * The email as it was (or would be) sent: rendered from the order as it is now. `tracked`: its
 * links go through our redirect (GET /{slug}/go/…), and `links` are what to record (the back
 * office's preview shows the plain links, so staff opening it count no click). `copy`: the
 * store's wording to render with in place of the saved one (the wording editor's preview).
 */
export async function renderMessage(
  row: Row,
  now: number,
  opts: { tracked?: boolean; copy?: Store['settings']['copy'] } = {},
): Promise<{ store: Store; email: RenderedEmail; unsubscribeUrl: string | null; links: MessageLink[]; dkim?: DkimSigning } | null> {
  const storeRow = await firstRow(storeById().execute({ id: row.storeId }));
  if (!storeRow) return null;
  const saved = toStore(storeRow);
  // A preview may show wording not saved yet in place of the store's own.
  const store = opts.copy ? { ...saved, settings: { ...saved.settings, copy: opts.copy } } : saved;
  const order = await loadOrder(store, { id: row.orderId }, now);
  if (!order) return null;
  const publicUrl = config().publicUrl;
  let returnUrl: string | null = null;
  if (row.returnId) {
    const r = await firstRow(
      db()
        .select({ accessId: schema.returns.accessId })
        .from(schema.returns)
        .where(and(eq(schema.returns.id, row.returnId), eq(schema.returns.storeId, row.storeId))),
    );
    if (r) returnUrl = `${publicUrl}/${store.slug}/r/${createReturnToken(store.id, r.accessId)}`;
  }
  const marketing = row.messageClass === 'marketing';
  const unsubscribeUrl = marketing
    ? `${publicUrl}/${store.slug}/unsubscribe/${createUnsubscribeToken(store.id, normalizeEmail(row.recipient))}`
    : null;
  // What followed the sale: the care guides of what arrived, the registration a reminder is about.
  const products = row.kind === 'delivered' || row.kind === 'warranty_reminder' ? await listDeliveredProducts(order) : [];
  const registrationId = row.kind === 'warranty_reminder' ? (/^email:warranty:(.+)$/.exec(row.dedupeKey)?.[1] ?? null) : null;
  const content = buildEmail({
    store,
    order,
    kind: row.kind as MessageKind,
    language: isLanguage(row.language) ? row.language : 'en',
    messageClass: marketing ? 'marketing' : 'service',
    shipmentId: row.shipmentId,
    returnUrl,
    publicUrl,
    unsubscribeUrl,
    products,
    registrationId,
    suggested: await productsForMessage(row),
    segment: row.kind === 'follow_up' ? await customerSegment(row.storeId, normalizeEmail(row.recipient)) : null,
    toldBefore: row.kind === 'shipped' ? await shippedToldBefore(row) : [],
  });
  const tracked = opts.tracked
    ? trackLinks(content, { publicUrl, slug: store.slug, messageId: row.id, unsubscribeUrl })
    : { content, links: [] };
  return {
    store,
    email: await renderEmail(tracked.content, store, publicUrl),
    unsubscribeUrl,
    links: tracked.links,
    dkim: dkimSigningFor(storeRow),
  };
}

/** The store row (settings, DKIM key) by id: built once per connection, as every email reads it. */
const storeById = () =>
  prepared(db(), 'emailSender.storeById', (d) =>
    d
      .select()
      .from(schema.stores)
      .where(eq(schema.stores.id, sql.placeholder('id')))
      .prepare(),
  );

/**
 * What this dispatch email need not repeat: the order's dispatch emails that went before it (their
 * parcel, its scan time), and the parcels with news of their own (delayed, delivered…), which a
 * dispatch email that took over from a superseded one must not call shipped again.
 */
async function shippedToldBefore(row: Row): Promise<{ shipmentId: string | null; newsAt: number | null }[]> {
  return db()
    .select({
      shipmentId: m.shipmentId,
      newsAt: sql<number | null>`case when ${m.kind} = 'shipped' then ${m.newsAt} end`.mapWith(m.newsAt),
    })
    .from(m)
    .where(
      and(
        eq(m.storeId, row.storeId),
        eq(m.orderId, row.orderId),
        eq(m.channel, 'email'),
        ne(m.id, row.id),
        or(
          and(eq(m.kind, 'shipped'), inArray(m.status, ['sent', 'not_sent', 'sending']), lte(m.createdAt, row.createdAt)),
          and(
            ne(m.kind, 'shipped'),
            ne(m.shipmentId, row.shipmentId ?? ''),
            inArray(m.status, ['queued', 'scheduled', 'sending', 'sent', 'not_sent']),
          ),
        ),
      ),
    );
}

/** Starts the email job in this process. */
export function startEmailSender(opts: EmailSenderOptions = {}) {
  const now = opts.now ?? Date.now;
  const owner = `${hostname()}:${process.pid}:email:${randomToken(6)}`;
  const leaseMs = opts.leaseMs ?? config().emailLeaseMs;
  // Sends side by side (each with its own pooled SMTP connection): a send mostly waits for the
  // SMTP server's answers, so eight keep the job busy without crowding a relay.
  const concurrency = opts.concurrency ?? 8;
  let stopped = false;

  async function runOnce(): Promise<number> {
    await recoverExpired(now());
    const claimed = await claim(owner, now(), 50, leaseMs);
    const queue = [...claimed];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        while (!stopped) {
          const row = queue.shift();
          if (!row) break;
          try {
            await sendOne(row, owner, now, leaseMs, concurrency);
          } catch (err) {
            log.error({ err, message: row.id }, 'email send failed unexpectedly');
          }
        }
      }),
    );
    if (queue.length)
      await transaction(async (tx) => {
        await tx
          .update(m)
          .set({ leaseOwner: null, leaseUntil: null })
          .where(
            and(
              inArray(
                m.id,
                queue.map((r) => r.id),
              ),
              eq(m.leaseOwner, owner),
            ),
          );
      });
    return claimed.length;
  }
  const rounds = repeatRounds({ name: 'email sender', round: runOnce, idleMs: 500, autoStart: opts.autoStart });
  return {
    owner,
    runOnce,
    stop: async () => {
      stopped = true;
      await rounds.stop();
      closeSmtpTransports();
    },
  };
}

async function recoverExpired(now: number): Promise<void> {
  const any = await firstRow(
    db()
      .select({ id: m.id })
      .from(m)
      .where(and(eq(m.channel, 'email'), leaseExpired(m.leaseUntil)))
      .limit(1),
  );
  if (!any) return;
  await transaction(async (tx) => {
    const abandoned = affectedRows(
      await tx
        .update(m)
        .set({
          status: 'failed',
          leaseOwner: null,
          leaseUntil: null,
          nextAttemptAt: null,
          updatedAt: now,
          lastError: 'the worker stopped during the SMTP transaction; it may have been delivered, so it is not resent (at most once)',
        })
        .where(and(eq(m.channel, 'email'), eq(m.status, 'sending'), leaseExpired(m.leaseUntil))),
    );
    await tx
      .update(m)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(m.channel, 'email'), inArray(m.status, ['queued', 'scheduled']), leaseExpired(m.leaseUntil)));
    if (abandoned) log.warn({ abandoned }, 'emails left "sending" by a stopped worker were not resent');
  });
}

async function claim(owner: string, now: number, limit: number, leaseMs: number): Promise<Row[]> {
  const due = and(eq(m.channel, 'email'), inArray(m.status, ['queued', 'scheduled']), lte(m.nextAttemptAt, now), isNull(m.leaseOwner));
  if (!(await firstRow(db().select({ id: m.id }).from(m).where(due).limit(1)))) return [];
  return transaction(async (tx) => {
    const ids = (await tx.select({ id: m.id }).from(m).where(due).orderBy(asc(m.nextAttemptAt)).limit(limit)).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .update(m)
      .set({ leaseOwner: owner, leaseUntil: leaseUntilIn(leaseMs) })
      .where(and(inArray(m.id, ids), isNull(m.leaseOwner), or(eq(m.status, 'queued'), eq(m.status, 'scheduled'))))
      .returning();
  });
}

/** Records the row's outcome and ends the lease, only while the lease is still this worker's. */
async function finish(id: string, owner: string, set: Partial<Row>): Promise<void> {
  // Grouped: the outcomes of emails sent side by side share one commit (group commit, each in its
  // own savepoint), which is most of what a ledger write costs on SQLite.
  await groupedTransaction(async (tx) => {
    await tx
      .update(m)
      .set({ ...set, leaseOwner: null, leaseUntil: null })
      .where(and(eq(m.id, id), leaseHeldBy(m.leaseOwner, m.leaseUntil, owner)));
  });
}

async function sendOne(row: Row, owner: string, now: () => number, leaseMs: number, concurrency: number): Promise<void> {
  const rendered = await renderMessage(row, now(), { tracked: true });
  if (!rendered)
    return finish(row.id, owner, { status: 'failed', lastError: 'the order or store is gone', updatedAt: now(), nextAttemptAt: null });
  const { store, email, unsubscribeUrl, links, dkim } = rendered;
  const cfg = config();
  const host = new URL(cfg.publicUrl).hostname;
  const messageId = row.providerId ?? `<${newId()}@${host}>`;
  if (!cfg.smtpUrl) {
    // No SMTP configured: rendered and recorded, shown in the back office, not sent.
    return finish(row.id, owner, {
      status: 'not_sent',
      subject: email.subject,
      providerId: messageId,
      updatedAt: now(),
      nextAttemptAt: null,
    });
  }
  // Marked "sending" in its own commit before a byte leaves (the at-most-once line), with the
  // links the email carries, so each of its redirects has its target before anyone can follow it.
  // Grouped with the other marks of the moment; it resolves only once their shared commit is
  // done, so nothing is sent before its mark is durable.
  const marked = await groupedTransaction(async (tx) => {
    const ok = await markEmailSending(tx, { id: row.id, owner, subject: email.subject, providerId: messageId, leaseMs, now: now() });
    if (ok) await recordMessageLinks(tx, { storeId: row.storeId, messageId: row.id, links, now: now() });
    return ok;
  });
  if (!marked) return;
  const n = store.settings.notifications;
  const from = { name: n.senderName ?? store.name, address: fromAddress(n) };
  const replyTo = n.replyTo ?? store.branding.supportEmail ?? undefined;
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
  if (unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  try {
    // Signed per message with the store's own key when it has one (DMARC alignment with From).
    await sendMail(
      smtpTransport(cfg.smtpUrl, concurrency),
      { from, to: row.recipient, replyTo, subject: email.subject, text: email.text, html: email.html, messageId, headers },
      dkim,
    );
    await groupedTransaction((tx) => markEmailSent(tx, { id: row.id, owner, now: now() }));
  } catch (err) {
    const e = err as { responseCode?: number; command?: string; message?: string; code?: string };
    const code = e.responseCode ?? 0;
    const detail = `${code || ''} ${e.message ?? String(err)}`.trim().slice(0, 500);
    if (code >= 500 && code < 600 && e.command === 'RCPT TO') {
      // A permanent refusal of the address: suppressed for this store until staff lift it.
      await transaction(async (tx) => {
        await tx
          .insert(schema.emailSuppressions)
          .values({
            id: newId(),
            storeId: row.storeId,
            emailNorm: normalizeEmail(row.recipient),
            reason: 'bounce',
            detail,
            createdAt: now(),
          })
          .onConflictDoNothing();
        await tx
          .update(m)
          .set({ status: 'suppressed', lastError: detail, leaseOwner: null, leaseUntil: null, updatedAt: now(), nextAttemptAt: null })
          .where(and(eq(m.id, row.id), leaseHeldBy(m.leaseOwner, m.leaseUntil, owner)));
      });
    } else if ((code >= 500 && code < 600) || !isRetryable(e)) {
      await finish(row.id, owner, { status: 'failed', lastError: detail, updatedAt: now(), nextAttemptAt: null });
    } else if (row.attempts + 1 >= MAX_ATTEMPTS) {
      await finish(row.id, owner, {
        status: 'failed',
        lastError: `gave up after ${MAX_ATTEMPTS} attempts: ${detail}`,
        updatedAt: now(),
        nextAttemptAt: null,
      });
    } else {
      // 4xx or the server unreachable: the SMTP transaction did not complete, so it is safe to try again.
      const wait = Math.min(3_600_000, 30_000 * 2 ** row.attempts) * (0.75 + Math.random() * 0.5);
      await finish(row.id, owner, { status: 'queued', lastError: detail, updatedAt: now(), nextAttemptAt: now() + Math.round(wait) });
    }
  }
}

/** 4xx answers and network trouble (refused, reset, timeout) are worth another try; anything else (a bad address format) is not. */
function isRetryable(e: { responseCode?: number; code?: string }): boolean {
  if (e.responseCode && e.responseCode >= 400 && e.responseCode < 500) return true;
  return (
    ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL', 'ETLS', 'EMAXLIMIT'].includes(
      e.code ?? '',
    ) || !e.responseCode
  );
}
