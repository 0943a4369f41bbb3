// The cases queue: what a person at the store must handle (carrier exceptions, shoppers' problem
// reports), newest first, filtered by status, kind and assignee. The API lists the same rows.
import { and, desc, eq, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { CASE_KINDS } from '../cases/open-case.ts';
import { db, schema } from '../db.ts';
import { AppError } from '../errors.ts';
import { orderPageUrl } from '../orders/order-json.ts';
import { createOrderToken } from '../orders/order-token.ts';
import type { Store } from '../stores/store.ts';
import { parseOrThrow } from '../validate.ts';
import { encodeCursor } from '../cursor.ts';
import { cursorField, limitField, readQuery } from '../read-query.ts';

/** `active` is every case not yet resolved (open or in progress). */
const CASE_STATUS_FILTERS = ['active', 'open', 'in_progress', 'resolved', 'all'] as const;
export type CaseStatusFilter = (typeof CASE_STATUS_FILTERS)[number];

const CaseQuery = z.object({
  status: z.enum(CASE_STATUS_FILTERS, 'one of open, in_progress, resolved, active, all').optional(),
  kind: z.enum(CASE_KINDS, `one of ${CASE_KINDS.join(', ')}`).optional(),
  assignee: z.enum(['mine', 'unassigned'], 'one of mine, unassigned').optional(),
  cursor: cursorField,
  limit: limitField(100),
});

export interface AttachedRegistration {
  productId: string;
  sku: string;
  title: string;
  serial: string | null;
  deliveredOn: string;
  warrantyEndsOn: string;
}

export interface CaseRow {
  id: string;
  kind: string;
  source: string;
  status: string;
  message: string | null;
  createdAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  order: { id: string; number: string; customerName: string; url: string };
  shipment: { carrier: string; trackingCode: string } | null;
  /** A warranty claim's registered product. */
  registration: AttachedRegistration | null;
  assignee: { id: string; email: string; name: string | null } | null;
}

/** One page of the store's cases; `userId` is who "mine" means (null: the API, "mine" refused). */
export async function listCases(opts: {
  store: Pick<Store, 'id' | 'slug'>;
  userId: string | null;
  query: URLSearchParams | Record<string, string | undefined>;
  defaultStatus: CaseStatusFilter;
  publicUrl: string;
  defaultLimit?: number;
}): Promise<{ rows: CaseRow[]; nextCursor: string | null }> {
  const q = parseOrThrow(CaseQuery, readQuery(opts.query), 'That filter is not valid');
  if (q.assignee === 'mine' && !opts.userId)
    throw new AppError('invalid', 'That filter is not valid', [{ pointer: '/assignee', detail: '"mine" needs a signed-in person' }]);
  const limit = q.limit ?? opts.defaultLimit ?? 25;
  const c = schema.cases;
  const o = schema.orders;
  const where: (SQL | undefined)[] = [eq(c.storeId, opts.store.id)];
  const status = q.status ?? opts.defaultStatus;
  if (status === 'active') where.push(inArray(c.status, ['open', 'in_progress']));
  else if (status !== 'all') where.push(eq(c.status, status));
  if (q.kind) where.push(eq(c.kind, q.kind));
  if (q.assignee === 'mine') where.push(eq(c.assigneeUserId, opts.userId!));
  if (q.assignee === 'unassigned') where.push(isNull(c.assigneeUserId));
  if (q.cursor) where.push(or(lt(c.createdAt, q.cursor.at), and(eq(c.createdAt, q.cursor.at), lt(c.id, q.cursor.id))));
  // Every filter is on the case itself: pick the page's ids first (one index, a short sort), then
  // join only those rows, rather than joining every matching case before sorting.
  const found = await db()
    .select({ id: c.id, createdAt: c.createdAt })
    .from(c)
    .where(and(...where))
    .orderBy(desc(c.createdAt), desc(c.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const ids = page.map((r) => r.id);
  const details = ids.length
    ? await db()
        .select({
          c,
          order: { id: o.id, number: o.number, customerName: o.customerName, accessId: o.accessId },
          shipment: { carrier: schema.shipments.carrier, trackingCode: schema.shipments.trackingCode },
          registration: {
            productId: schema.registrations.productId,
            sku: schema.registrations.sku,
            title: schema.registrations.title,
            serial: schema.registrations.serial,
            deliveredOn: schema.registrations.deliveredOn,
            warrantyEndsOn: schema.registrations.warrantyEndsOn,
          },
          assignee: { id: schema.users.id, email: schema.users.email, name: schema.users.name },
        })
        .from(c)
        .innerJoin(o, and(eq(o.id, c.orderId), eq(o.storeId, c.storeId)))
        .leftJoin(schema.shipments, eq(schema.shipments.id, c.shipmentId))
        .leftJoin(schema.registrations, and(eq(schema.registrations.id, c.registrationId), eq(schema.registrations.storeId, c.storeId)))
        .leftJoin(schema.users, and(eq(schema.users.id, c.assigneeUserId), eq(schema.users.storeId, c.storeId)))
        .where(and(eq(c.storeId, opts.store.id), inArray(c.id, ids)))
    : [];
  const byId = new Map(details.map((r) => [r.c.id, r]));
  const rows = ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toRow(r)] : [];
  });
  const last = page.at(-1);
  return { rows, nextCursor: found.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };

  function toRow(r: (typeof details)[number]): CaseRow {
    return {
      id: r.c.id,
      kind: r.c.kind,
      source: r.c.source,
      status: r.c.status,
      message: r.c.message,
      createdAt: r.c.createdAt,
      updatedAt: r.c.updatedAt,
      resolvedAt: r.c.resolvedAt,
      order: {
        id: r.order.id,
        number: r.order.number,
        customerName: r.order.customerName,
        url: orderPageUrl(opts.publicUrl, opts.store, createOrderToken(opts.store.id, r.order.accessId)),
      },
      shipment: r.shipment,
      registration: r.registration,
      assignee: r.assignee,
    };
  }
}
