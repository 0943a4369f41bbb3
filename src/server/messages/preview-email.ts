// The wording editor's email preview: any kind of email rendered for one of the store's real orders
// (picked by number), with the editor's unsaved wording when it carries any, exactly as the email
// job would render it; and "Send a test to me", which mails that rendering to the signed-in staff
// member's own address. Neither writes to the message ledger: the shopper is told nothing and no
// email is recorded as sent to them. Links stay plain (no redirect, no click counted).
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { config } from '../config.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { pickLanguage } from '../i18n/pick-language.ts';
import type { Language } from '../i18n/languages.ts';
import { normalizeOrderNumber } from '../orders/normalize.ts';
import { countAttemptInTx, isRateLimited, type Limit } from '../ratelimit/rate-limit.ts';
import { fromAddress } from '../stores/dkim-key.ts';
import { MESSAGE_KINDS, type MessageKind } from '../stores/notification-settings.ts';
import type { Store } from '../stores/store.ts';
import { renderMessage } from './run-email-sender.ts';
import { smtpTransport } from './smtp.ts';
import { sendMail } from './send-mail.ts';

/** Test sends per staff member: enough to check a few kinds, too few to use the server as a mailer. */
const TEST_SEND_LIMIT: Limit = { max: 5, windowMs: 10 * 60_000 };

export interface EmailPreviewInput {
  kind: MessageKind;
  /** The order's number as staff know it (with or without '#'). */
  orderNumber: string;
  /** The language to render in (default: the order's own). */
  language?: Language;
  /** The wording to render with in place of the saved one. */
  copy?: Store['settings']['copy'];
}

export interface EmailPreview {
  orderNumber: string;
  language: string;
  subject: string;
  html: string;
  text: string;
}

/** The store's most recent orders, newest first: what the preview offers to pick from. */
export async function recentOrderNumbers(storeId: string, limit = 20): Promise<string[]> {
  const rows = await db()
    .select({ number: schema.orders.number })
    .from(schema.orders)
    .where(eq(schema.orders.storeId, storeId))
    .orderBy(desc(schema.orders.placedAt))
    .limit(limit);
  return rows.map((r) => r.number);
}

/** The order the preview opens with: the one whose parcel the carrier scanned last (so parcel emails have a parcel), else the newest. */
export async function defaultPreviewOrder(storeId: string): Promise<string | null> {
  const scanned = await firstRow(
    db()
      .select({ number: schema.orders.number })
      .from(schema.shipments)
      .innerJoin(schema.orders, eq(schema.orders.id, schema.shipments.orderId))
      .where(and(eq(schema.shipments.storeId, storeId), eq(schema.orders.storeId, storeId), isNotNull(schema.shipments.firstScanAt)))
      .orderBy(desc(schema.shipments.lastEventAt))
      .limit(1),
  );
  return scanned?.number ?? (await recentOrderNumbers(storeId, 1))[0] ?? null;
}

/** Renders the kind for the store's order; not_found when the store has no order of that number. */
export async function previewEmail(storeId: string, input: EmailPreviewInput, now: number): Promise<EmailPreview> {
  const r = await renderPreview(storeId, input, now);
  return { orderNumber: r.orderNumber, language: r.row.language, subject: r.email.subject, html: r.email.html, text: r.email.text };
}

/**
 * Sends the preview to the staff member's own address with "[Test]" before its subject, signed as
 * the store's emails are. Rate-limited per staff member; recorded in the audit log, never in the ledger.
 */
export async function sendTestEmail(
  user: { id: string; email: string; storeId: string },
  input: EmailPreviewInput,
  actor: Actor,
  now: number,
): Promise<{ to: string; subject: string }> {
  const smtpUrl = config().smtpUrl;
  if (!smtpUrl) throw new AppError('conflict', 'No SMTP server is set up (WAYPOST_SMTP_URL), so no email can be sent.');
  const key = `email-test:${user.id}`;
  if (await isRateLimited(key, TEST_SEND_LIMIT, now))
    throw new AppError('rate_limited', `At most ${TEST_SEND_LIMIT.max} test emails every 10 minutes. Please wait a little.`);
  const r = await renderPreview(user.storeId, input, now);
  const subject = `[Test] ${r.email.subject}`;
  await transaction(async (tx) => {
    await countAttemptInTx(tx, key, TEST_SEND_LIMIT, now);
    await recordAudit(tx, {
      storeId: user.storeId,
      actor,
      action: 'email.test_sent',
      detail: { kind: input.kind, order: r.orderNumber },
      now,
    });
  });
  const n = r.store.settings.notifications;
  await sendMail(
    smtpTransport(smtpUrl),
    {
      from: { name: n.senderName ?? r.store.name, address: fromAddress(n) },
      to: user.email,
      subject,
      text: r.email.text,
      html: r.email.html,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Waypost-Test': 'yes' },
    },
    r.dkim,
    now,
  );
  return { to: user.email, subject };
}

async function renderPreview(storeId: string, input: EmailPreviewInput, now: number) {
  const order = await firstRow(
    db()
      .select({ id: schema.orders.id, number: schema.orders.number, email: schema.orders.email, locale: schema.orders.locale })
      .from(schema.orders)
      .where(and(eq(schema.orders.storeId, storeId), eq(schema.orders.numberNorm, normalizeOrderNumber(input.orderNumber)))),
  );
  if (!order) throw new AppError('not_found', `This store has no order #${input.orderNumber.replace(/^#/, '')}.`);
  // What the email is about: the order's latest parcel and return, when the kind is about one.
  const shipment = await firstRow(
    db()
      .select({ id: schema.shipments.id })
      .from(schema.shipments)
      .where(and(eq(schema.shipments.storeId, storeId), eq(schema.shipments.orderId, order.id)))
      .orderBy(desc(schema.shipments.updatedAt))
      .limit(1),
  );
  const ret = await firstRow(
    db()
      .select({ id: schema.returns.id })
      .from(schema.returns)
      .where(and(eq(schema.returns.storeId, storeId), eq(schema.returns.orderId, order.id)))
      .orderBy(desc(schema.returns.createdAt))
      .limit(1),
  );
  // A ledger row as the email job would read it, held in memory only: nothing is written.
  const row: typeof schema.messages.$inferSelect = {
    id: `preview-${newId()}`,
    storeId,
    orderId: order.id,
    shipmentId: shipment?.id ?? null,
    returnId: ret?.id ?? null,
    kind: input.kind,
    channel: 'email',
    recipient: order.email,
    language: input.language ?? pickLanguage({ orderLocale: order.locale }),
    messageClass: MESSAGE_KINDS[input.kind],
    dedupeKey: `preview:${input.kind}`,
    status: 'preview',
    providerId: null,
    subject: null,
    attempts: 0,
    nextAttemptAt: null,
    leaseOwner: null,
    leaseUntil: null,
    lastError: null,
    newsAt: now,
    coveredBy: null,
    prunedClicks: null,
    createdAt: now,
    updatedAt: now,
    sentAt: null,
  };
  const rendered = await renderMessage(row, now, { copy: input.copy });
  if (!rendered) throw new AppError('not_found', 'The order could not be read.');
  return { ...rendered, row, orderNumber: order.number };
}
