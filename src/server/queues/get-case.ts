// One case with everything a person needs beside it: the order's parcels and their carrier
// events, every notice the order had, and the order's other cases. Only within the store.
import { and, desc, eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { translator } from '../i18n/translator.ts';
import { describeNotice, type NoticeWords } from '../notices/describe-notice.ts';
import type { NoticeKind } from '../notices/notice-kinds.ts';
import { loadOrder, type OrderView } from '../orders/load-order.ts';
import { orderPageUrl } from '../orders/order-json.ts';
import type { Store } from '../stores/store.ts';
import type { AttachedRegistration } from './list-cases.ts';

export interface CaseDetail {
  id: string;
  kind: string;
  source: string;
  status: string;
  message: string | null;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  shipmentId: string | null;
  /** A warranty claim's registered product. */
  registration: AttachedRegistration | null;
  assignee: { id: string; email: string; name: string | null } | null;
  order: OrderView;
  /** The shopper's page for the order. */
  orderUrl: string;
  /** Every notice of the order, newest first; `says` (the shopper's words) while it is open. */
  notices: {
    id: string;
    kind: NoticeKind;
    reason: string | null;
    openedAt: number;
    clearedAt: number | null;
    trackingCode: string | null;
    says: NoticeWords | null;
  }[];
  otherCases: { id: string; kind: string; source: string; status: string; createdAt: number; trackingCode: string | null }[];
}

/** The store's case with its order's timeline, or null (unknown id or another store's case). */
export async function getCase(opts: { store: Store; caseId: string; publicUrl: string; now: number }): Promise<CaseDetail | null> {
  const c = schema.cases;
  const row = await firstRow(
    db()
      .select({ c, assignee: { id: schema.users.id, email: schema.users.email, name: schema.users.name } })
      .from(c)
      .leftJoin(schema.users, and(eq(schema.users.id, c.assigneeUserId), eq(schema.users.storeId, c.storeId)))
      .where(and(eq(c.id, opts.caseId), eq(c.storeId, opts.store.id))),
  );
  if (!row) return null;
  const order = await loadOrder(opts.store, { id: row.c.orderId }, opts.now);
  if (!order) return null;
  const [notices, cases] = await Promise.all([
    db()
      .select()
      .from(schema.notices)
      .where(and(eq(schema.notices.orderId, order.id), eq(schema.notices.storeId, opts.store.id)))
      .orderBy(desc(schema.notices.openedAt)),
    db()
      .select({ id: c.id, kind: c.kind, source: c.source, status: c.status, createdAt: c.createdAt, shipmentId: c.shipmentId })
      .from(c)
      .where(and(eq(c.orderId, order.id), eq(c.storeId, opts.store.id)))
      .orderBy(desc(c.createdAt)),
  ]);
  const parcel = (id: string | null) => order.shipments.find((s) => s.id === id) ?? null;
  const reg = schema.registrations;
  const registration = row.c.registrationId
    ? ((await firstRow(
        db()
          .select({
            productId: reg.productId,
            sku: reg.sku,
            title: reg.title,
            serial: reg.serial,
            deliveredOn: reg.deliveredOn,
            warrantyEndsOn: reg.warrantyEndsOn,
          })
          .from(reg)
          .where(and(eq(reg.id, row.c.registrationId), eq(reg.storeId, opts.store.id))),
      )) ?? null)
    : null;
  return {
    id: row.c.id,
    kind: row.c.kind,
    source: row.c.source,
    status: row.c.status,
    message: row.c.message,
    createdAt: row.c.createdAt,
    updatedAt: row.c.updatedAt,
    resolvedAt: row.c.resolvedAt,
    shipmentId: row.c.shipmentId,
    registration,
    assignee: row.assignee,
    order,
    orderUrl: orderPageUrl(opts.publicUrl, opts.store, order.token),
    notices: notices.map((n) => {
      const s = parcel(n.shipmentId);
      const kind = n.kind as NoticeKind;
      const expectedDay = s && (s.estimate.kind === 'expected' || s.estimate.kind === 'checking') ? s.estimate.originalDate : null;
      const since = kind === 'stalled' ? (s?.lastEventAt ?? null) : null;
      const view = { kind, reason: n.reason, revisedDate: n.revisedDate, needsPerson: n.needsPerson, openedAt: n.openedAt, since };
      const ctx = {
        // The back office reads what the shopper was told in English, dates as the order writes them.
        words: translator('en', { orderLocale: order.locale }),
        timeZone: order.timeZone,
        storeName: opts.store.name,
        expectedDay,
        lastEventAt: s?.lastEventAt ?? null,
        now: opts.now,
      };
      return {
        id: n.id,
        kind,
        reason: n.reason,
        openedAt: n.openedAt,
        clearedAt: n.clearedAt,
        trackingCode: s?.trackingCode ?? null,
        says: n.clearedAt === null ? describeNotice(view, ctx) : null,
      };
    }),
    otherCases: cases
      .filter((x) => x.id !== row.c.id)
      .map(({ shipmentId, ...x }) => ({ ...x, trackingCode: parcel(shipmentId)?.trackingCode ?? null })),
  };
}
