// The at-risk queue: parcels with an open late, stalled, not-scanned or exception notice, and
// orders whose dispatch is late; newest problem first, with what the shopper is told and a link
// to the shopper's page and to the open case.
import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { db, schema } from '../db.ts';
import { translator } from '../i18n/translator.ts';
import { describeNotice, type NoticeWords } from '../notices/describe-notice.ts';
import type { NoticeKind } from '../notices/notice-kinds.ts';
import type { NoticeView } from '../orders/load-order.ts';
import { normalizeOrderNumber } from '../orders/normalize.ts';
import { orderPageUrl } from '../orders/order-json.ts';
import { createOrderToken } from '../orders/order-token.ts';
import type { Store } from '../stores/store.ts';
import { carrierName } from '../tracking/carrier-links.ts';
import { parseOrThrow } from '../validate.ts';
import { encodeCursor } from '../cursor.ts';
import { cursorField, limitField, readQuery } from '../read-query.ts';

export const AT_RISK_KINDS = ['late', 'stalled', 'not_scanned', 'exception', 'delayed_dispatch'] as const;

const AtRiskQuery = z.object({
  kind: z.enum(AT_RISK_KINDS, 'one of late, stalled, not_scanned, exception, delayed_dispatch').optional(),
  carrier: z.string().max(40, 'at most 40 characters').optional(),
  q: z.string().max(60, 'at most 60 characters').optional(),
  cursor: cursorField,
  limit: limitField(100),
});

export interface AtRiskRow {
  noticeId: string;
  kind: NoticeKind;
  /** The carrier's status and detail behind an exception ("failure/address_not_found"). */
  reason: string | null;
  revisedDate: string | null;
  needsPerson: boolean;
  openedAt: number;
  order: { id: string; number: string; customerName: string; url: string };
  /** Null for an order-level notice (a delayed dispatch). */
  shipment: { id: string; carrier: string; carrierName: string; trackingCode: string; status: string; lastEventAt: number | null } | null;
  /** What the shopper's page says about it. */
  says: NoticeWords;
  /** The open case about this parcel (or order), if any. */
  openCase: { id: string; kind: string; status: string } | null;
}

/** One page of the store's at-risk parcels; `query` is the page's GET parameters. */
export async function listAtRiskShipments(opts: {
  store: Store;
  query: URLSearchParams | Record<string, string | undefined>;
  publicUrl: string;
  now: number;
}): Promise<{ rows: AtRiskRow[]; nextCursor: string | null }> {
  const q = parseOrThrow(AtRiskQuery, readQuery(opts.query), 'That filter is not valid');
  const limit = q.limit ?? 25;
  const n = schema.notices;
  const o = schema.orders;
  const s = schema.shipments;
  const where: (SQL | undefined)[] = [eq(n.storeId, opts.store.id), isNull(n.clearedAt)];
  if (q.kind) where.push(eq(n.kind, q.kind));
  if (q.carrier) where.push(eq(s.carrier, q.carrier));
  const number = q.q ? normalizeOrderNumber(q.q) : '';
  // A prefix of the normalised number, as a range so the (store, number) index can serve it.
  // Otherwise the scan starts from the open notices (their partial index), never from the store's
  // orders, so the join names no orders.store_id: that would tempt SQLite to walk every order.
  if (number) where.push(eq(o.storeId, opts.store.id), gte(o.numberNorm, number), lt(o.numberNorm, number + '\uffff'));
  if (q.cursor) where.push(or(lt(n.openedAt, q.cursor.at), and(eq(n.openedAt, q.cursor.at), lt(n.id, q.cursor.id))));
  const found = await db()
    .select({ notice: n, order: o, shipment: s })
    .from(n)
    .innerJoin(o, eq(o.id, n.orderId))
    .leftJoin(s, eq(s.id, n.shipmentId))
    .where(and(...where))
    .orderBy(desc(n.openedAt), desc(n.id))
    .limit(limit + 1);
  const slice = found.slice(0, limit);
  const page = slice.filter((r) => r.order.storeId === opts.store.id); // belt and braces: a notice's order is its store's
  const cases = await openCasesOf(opts.store.id, [...new Set(page.map((r) => r.order.id))]);
  const rows = page.map(({ notice, order, shipment }): AtRiskRow => {
    const view: NoticeView = {
      kind: notice.kind as NoticeKind,
      reason: notice.reason,
      revisedDate: notice.revisedDate,
      needsPerson: notice.needsPerson,
      openedAt: notice.openedAt,
      since:
        notice.kind === 'not_scanned' ? (shipment?.createdAt ?? null) : notice.kind === 'stalled' ? (shipment?.lastEventAt ?? null) : null,
    };
    const expectedDay = shipment
      ? (shipment.promisedDate ??
        (shipment.carrierEstimateAt === null ? null : new Date(shipment.carrierEstimateAt).toISOString().slice(0, 10)))
      : null;
    const says = describeNotice(view, {
      // The back office reads what the shopper was told in English, dates as the order writes them.
      words: translator('en', { orderLocale: order.locale }),
      timeZone: order.timeZone ?? opts.store.settings.timeZone,
      storeName: opts.store.name,
      expectedDay,
      lastEventAt: shipment?.lastEventAt ?? null,
      now: opts.now,
    });
    const c = cases.find((x) => x.orderId === order.id && x.shipmentId === (shipment?.id ?? null));
    const url = orderPageUrl(opts.publicUrl, opts.store, createOrderToken(opts.store.id, order.accessId));
    return {
      noticeId: notice.id,
      kind: view.kind,
      reason: notice.reason,
      revisedDate: notice.revisedDate,
      needsPerson: notice.needsPerson,
      openedAt: notice.openedAt,
      order: {
        id: order.id,
        number: order.number,
        customerName: order.customerName,
        url: shipment ? `${url}#parcel-${encodeURIComponent(shipment.trackingCode)}` : url,
      },
      shipment: shipment && {
        id: shipment.id,
        carrier: shipment.carrier,
        carrierName: carrierName(shipment.carrier),
        trackingCode: shipment.trackingCode,
        status: shipment.status,
        lastEventAt: shipment.lastEventAt,
      },
      says,
      openCase: c ? { id: c.id, kind: c.kind, status: c.status } : null,
    };
  });
  const last = slice.at(-1);
  return { rows, nextCursor: found.length > limit && last ? encodeCursor({ at: last.notice.openedAt, id: last.notice.id }) : null };
}

/** The cases not yet resolved of these orders, oldest first (the exception's own case leads). */
async function openCasesOf(storeId: string, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  const c = schema.cases;
  return await db()
    .select({ id: c.id, orderId: c.orderId, shipmentId: c.shipmentId, kind: c.kind, status: c.status })
    .from(c)
    .where(and(eq(c.storeId, storeId), inArray(c.orderId, orderIds), ne(c.status, 'resolved')))
    .orderBy(asc(c.createdAt));
}
