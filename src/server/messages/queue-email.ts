// The email side of "tell the shopper": called inside the transaction that made the news, it
// records one ledger row (messages, channel email) per piece of news, once per dedupe key. What is
// recorded decides what is sent: the kind off or sent by the shop platform records nothing;
// marketing without consent records nothing; a suppressed address is recorded "suppressed"; news
// already stale is recorded "expired"; quiet hours and split-order grouping record it "scheduled"
// for later. The email job renders and sends what is queued (messages/run-email-sender.ts).
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { firstRow, prepared, schema, type Db, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import { pickLanguage } from '../i18n/pick-language.ts';
import { kindEnabled, MESSAGE_KINDS, type MessageKind } from '../stores/notification-settings.ts';
import { readSettings } from '../stores/settings.ts';
import { nextSendTime } from './quiet-hours.ts';

export interface EmailNews {
  storeId: string;
  orderId: string;
  kind: MessageKind;
  shipmentId?: string | null;
  returnId?: string | null;
  /** Unique per piece of news: the same key twice records nothing more. */
  key: string;
  /** The parcel's newest scan time, when the caller has read its row in this transaction (else it is read). */
  newsAt?: number | null;
  now: number;
}

const HOUR = 3_600_000;
/** Carrier news older than this when it reaches us is not worth an email (an order imported after the fact, a webhook days late). */
const STALE_AFTER: Partial<Record<MessageKind, number>> = { shipped: 72 * HOUR, out_for_delivery: 12 * HOUR, delivered: 72 * HOUR };
/** Kinds that cannot wait for the morning: "arriving today" at 9 am is useless. */
const CANNOT_WAIT: ReadonlySet<MessageKind> = new Set(['out_for_delivery']);
/** Parcels of one order whose first scans are within this window make one email. */
export const GROUP_MS = HOUR;

/** Records the email this news calls for, inside the caller's transaction. */
export async function queueEmail(tx: Tx, n: EmailNews): Promise<void> {
  const ctx = await firstRow(q.context(tx).execute({ orderId: n.orderId, storeId: n.storeId }));
  if (!ctx) return;
  const settings = readSettings(ctx.settings);
  if (!kindEnabled(settings.notifications, n.kind, 'email')) return;
  const messageClass = MESSAGE_KINDS[n.kind];
  if (messageClass === 'marketing' && !ctx.marketingConsent) return;
  const timeZone = ctx.timeZone ?? settings.timeZone;
  const base = {
    storeId: n.storeId,
    orderId: n.orderId,
    shipmentId: n.shipmentId ?? null,
    returnId: n.returnId ?? null,
    kind: n.kind,
    recipient: ctx.email,
    language: pickLanguage({ orderLocale: ctx.locale }),
    messageClass,
    dedupeKey: `email:${n.key}`,
    now: n.now,
  };

  const stale = STALE_AFTER[n.kind];
  const newsAt = !n.shipmentId
    ? null
    : n.newsAt !== undefined
      ? n.newsAt
      : ((await firstRow(q.parcelNewsAt(tx).execute({ id: n.shipmentId })))?.at ?? null);
  // Split orders: parcels whose first scans are within the hour make one dispatch email. The first
  // is held until an hour after its scan while the order has items or parcels still to ship; a
  // parcel scanned within that hour joins it (the email lists every parcel shipped by then).
  const moreToShip = ctx.unshippedUnits > 0 || ctx.unscannedParcels > 0;
  if (n.kind === 'shipped') {
    const waiting = await firstRow(q.waitingShipped(tx).execute({ orderId: n.orderId, storeId: n.storeId }));
    if (waiting && Math.abs((newsAt ?? n.now) - (waiting.newsAt ?? waiting.createdAt)) <= GROUP_MS) {
      // The parcel's own line of the ledger says the waiting email tells of it ("covered", never
      // sent itself); its dedupe key keeps the same news from making an email of its own later.
      const covered = await firstRow(
        q
          .insert(tx)
          .execute({ ...base, id: newId(), status: 'covered', nextAttemptAt: null, lastError: null, newsAt, coveredBy: waiting.id }),
      );
      // Every item has shipped now: nothing more to wait for but the quiet hours.
      if (covered && !moreToShip) {
        const quiet = settings.notifications.quietHours;
        const at = quiet.enabled ? nextSendTime(n.now, ctx.timeZone ?? settings.timeZone, quiet) : n.now;
        await q.bringForward(tx).execute({ id: waiting.id, at });
      }
      return;
    }
  }

  let status: string;
  let due: number | null = n.now;
  let lastError: string | null = null;
  if (ctx.bounced || (ctx.unsubscribed && messageClass === 'marketing')) {
    status = 'suppressed';
    due = null;
    lastError = 'this address refused mail from this store before (or unsubscribed)';
  } else if (stale !== undefined && newsAt !== null && n.now - newsAt > stale) {
    status = 'expired';
    due = null;
    lastError = 'the news was already old when it arrived: nothing stale is sent';
  } else {
    due = dueAt(n.kind, newsAt, n.now, moreToShip, settings.notifications.quietHours, timeZone);
    status = due > n.now ? 'scheduled' : 'queued';
  }
  const inserted = await firstRow(
    q.insert(tx).execute({ ...base, id: newId(), status, nextAttemptAt: due, lastError, newsAt, coveredBy: null }),
  );
  // Newer news about the same parcel or return replaces older news not sent yet: never "shipped" after "delivered".
  const topic = n.shipmentId ?? n.returnId;
  if (inserted && topic && status !== 'expired' && status !== 'suppressed') {
    const superseded = await q.supersede(tx).execute({ orderId: n.orderId, storeId: n.storeId, keep: inserted.id, topic, now: n.now });
    const dispatch = superseded.filter((r) => r.kind === 'shipped').map((r) => r.id);
    if (dispatch.length) {
      const quiet = settings.notifications.quietHours;
      await uncoverParcels(tx, n, dispatch, (at) => dueAt('shipped', at, n.now, moreToShip, quiet, timeZone));
    }
  }
}

type QuietHours = ReturnType<typeof readSettings>['notifications']['quietHours'];

/** When news recorded now may go: a dispatch email waits out its parcel's hour while more may ship, then quiet hours. */
function dueAt(kind: MessageKind, newsAt: number | null, now: number, moreToShip: boolean, quiet: QuietHours, timeZone: string): number {
  // More parcels may follow within the hour of this one's scan (a scan reported late waits only what is left of it).
  let due = kind === 'shipped' && moreToShip ? Math.max(now, (newsAt ?? now) + GROUP_MS) : now;
  if (!CANNOT_WAIT.has(kind) && quiet.enabled) {
    const later = nextSendTime(due, timeZone, quiet);
    if (later > due) due = later;
  }
  return due;
}

/**
 * A waiting dispatch email superseded by its own parcel's newer news no longer tells the parcels
 * that joined it ("covered"). Each of them still has to hear it shipped: the first becomes a
 * dispatch email of its own (its own line of the ledger, so never twice) and the others join it,
 * except a parcel whose own newer news is already recorded, which is superseded too (never
 * "shipped" after "delivered"). The new email lists only parcels with no news of their own.
 */
async function uncoverParcels(tx: Tx, n: EmailNews, supersededIds: string[], dueFor: (newsAt: number | null) => number): Promise<void> {
  const now = n.now;
  const covered = await tx
    .select({ id: m.id, newsAt: m.newsAt, newer: ownNewerNews() })
    .from(m)
    .where(
      and(eq(m.orderId, n.orderId), sql`${m.storeId} || '' = ${n.storeId}`, eq(m.status, 'covered'), inArray(m.coveredBy, supersededIds)),
    )
    .orderBy(asc(m.newsAt), asc(m.createdAt));
  let lead: string | null = null;
  for (const c of covered) {
    if (c.newer) {
      await tx
        .update(m)
        .set({ status: 'superseded', coveredBy: null, updatedAt: now, lastError: 'newer news of the same parcel came first' })
        .where(eq(m.id, c.id));
    } else if (lead === null) {
      lead = c.id;
      const due = dueFor(c.newsAt);
      await tx
        .update(m)
        .set({ status: due > now ? 'scheduled' : 'queued', coveredBy: null, nextAttemptAt: due, updatedAt: now, lastError: null })
        .where(eq(m.id, c.id));
    } else {
      await tx.update(m).set({ coveredBy: lead, updatedAt: now }).where(eq(m.id, c.id));
    }
  }
}

/** True when the parcel of this dispatch line has other email news of its own (delayed, delivered…), by the order's index. */
const ownNewerNews = () =>
  sql<boolean>`exists (select 1 from messages own where own.order_id = messages.order_id and own.shipment_id = messages.shipment_id and own.channel = 'email' and own.kind <> 'shipped')`.mapWith(
    (v) => v === true || Number(v) === 1,
  );

/** True when the order's address has a suppression of this reason in its store (by the store, address and reason index). */
const suppressed = (reason: 'bounce' | 'unsubscribe') =>
  sql<boolean>`exists (select 1 from email_suppressions es where es.store_id = ${schema.orders.storeId} and es.email_norm = ${schema.orders.emailNorm} and es.reason = ${reason})`.mapWith(
    (v) => v === true || Number(v) === 1,
  );

const m = schema.messages;
const q = {
  context: (tx: Tx) =>
    prepared(tx, 'email.context', (d) =>
      d
        .select({
          email: schema.orders.email,
          locale: schema.orders.locale,
          timeZone: schema.orders.timeZone,
          marketingConsent: schema.orders.marketingConsent,
          // The stored text, not the parsed column: readSettings keys its cache by it (no JSON round trip per event).
          settings: sql<string>`${schema.stores.settings}`,
          unshippedUnits:
            sql<number>`(select coalesce(sum(i.quantity), 0) - coalesce((select sum(si.quantity) from shipment_items si join shipments s on s.id = si.shipment_id where s.order_id = ${schema.orders.id} and s.return_id is null), 0) from order_items i where i.order_id = ${schema.orders.id})`.mapWith(
              Number,
            ),
          // The address's suppressions (by orders.email_norm, normalizeEmail of the address), in the same round trip.
          bounced: suppressed('bounce'),
          unsubscribed: suppressed('unsubscribe'),
          unscannedParcels:
            sql<number>`(select count(*) from shipments s where s.order_id = ${schema.orders.id} and s.return_id is null and s.first_scan_at is null)`.mapWith(
              Number,
            ),
        })
        .from(schema.orders)
        .innerJoin(schema.stores, eq(schema.stores.id, schema.orders.storeId))
        .where(and(eq(schema.orders.id, sql.placeholder('orderId')), eq(schema.orders.storeId, sql.placeholder('storeId'))))
        .prepare(),
    ),
  waitingShipped: (tx: Tx) => prepared(tx, 'email.waitingShipped', (d) => waitingShippedQuery(d).prepare()),
  bringForward: (tx: Tx) =>
    prepared(tx, 'email.bringForward', (d) =>
      d
        .update(m)
        .set({
          nextAttemptAt: sql`case when ${m.nextAttemptAt} > ${sql.placeholder('at')} then ${sql.placeholder('at')} else ${m.nextAttemptAt} end`,
        })
        .where(eq(m.id, sql.placeholder('id')))
        .prepare(),
    ),
  insert: (tx: Tx) =>
    prepared(tx, 'email.insert', (d) =>
      d
        .insert(m)
        .values({
          id: sql.placeholder('id'),
          storeId: sql.placeholder('storeId'),
          orderId: sql.placeholder('orderId'),
          shipmentId: sql.placeholder('shipmentId'),
          returnId: sql.placeholder('returnId'),
          kind: sql.placeholder('kind'),
          channel: 'email',
          recipient: sql.placeholder('recipient'),
          language: sql.placeholder('language'),
          messageClass: sql.placeholder('messageClass'),
          dedupeKey: sql.placeholder('dedupeKey'),
          status: sql.placeholder('status'),
          providerId: null,
          nextAttemptAt: sql.placeholder('nextAttemptAt'),
          lastError: sql.placeholder('lastError'),
          newsAt: sql.placeholder('newsAt'),
          coveredBy: sql.placeholder('coveredBy'),
          createdAt: sql.placeholder('now'),
          updatedAt: sql.placeholder('now'),
        })
        .onConflictDoNothing()
        .returning({ id: m.id })
        .prepare(),
    ),
  supersede: (tx: Tx) => prepared(tx, 'email.supersede', (d) => supersedeQuery(d).prepare()),
  parcelNewsAt: (tx: Tx) =>
    prepared(tx, 'email.parcelNewsAt', (d) =>
      d
        .select({ at: schema.shipments.lastEventAt })
        .from(schema.shipments)
        .where(eq(schema.shipments.id, sql.placeholder('id')))
        .prepare(),
    ),
};

/**
 * The order's id picks its few messages by messages_order_idx; the store is checked on those rows
 * (an expression, so SQLite's planner, which has no statistics, does not take a store-wide index
 * instead: by (store, kind, status) it would read every queued email of the store, per event).
 */
const ofStore = () => sql`${m.storeId} || '' = ${sql.placeholder('storeId')}`;

/** A dispatch email of the order still waiting (a parcel shipping within its hour joins it). */
export const waitingShippedQuery = (d: Db) =>
  d
    .select({ id: m.id, newsAt: m.newsAt, createdAt: m.createdAt })
    .from(m)
    .where(
      and(
        eq(m.orderId, sql.placeholder('orderId')),
        ofStore(),
        eq(m.channel, 'email'),
        eq(m.kind, 'shipped'),
        inArray(m.status, ['queued', 'scheduled']),
      ),
    )
    .limit(1);

/**
 * Newer news of a parcel or return supersedes its emails not sent yet (and its line in a waiting
 * email of another parcel), by the order first: a store's whole queue is never scanned.
 */
export const supersedeQuery = (d: Db) =>
  d
    .update(m)
    .set({
      status: 'superseded',
      nextAttemptAt: null,
      coveredBy: null,
      updatedAt: sql`${sql.placeholder('now')}`,
      lastError: 'newer news of the same parcel came first',
    })
    .where(
      and(
        eq(m.orderId, sql.placeholder('orderId')),
        ofStore(),
        eq(m.channel, 'email'),
        // A parcel's "covered" line goes too: the waiting email it joined will leave that parcel out.
        inArray(m.status, ['queued', 'scheduled', 'covered']),
        ne(m.id, sql.placeholder('keep')),
        sql`coalesce(${m.shipmentId}, ${m.returnId}) = ${sql.placeholder('topic')}`,
      ),
    )
    .returning({ id: m.id, kind: m.kind });
