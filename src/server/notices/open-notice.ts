// Recording and clearing notices. Each is recorded once while open (a partial unique index on
// scope + kind), so a duplicate webhook or a second worker cannot tell the shopper twice: the use
// case that opened it (src/server/changes/) tells the shopper of each notice opened, once.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { affectedRows, prepared, schema, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import type { NoticeKind } from './notice-kinds.ts';

export interface NoticeInput {
  storeId: string;
  orderId: string;
  shipmentId: string | null;
  kind: NoticeKind;
  reason?: string | null;
  revisedDate?: string | null;
  needsPerson?: boolean;
  now: number;
}

/** A notice just opened: what the shopper is to be told of. */
export interface OpenedNotice {
  id: string;
  storeId: string;
  orderId: string;
  shipmentId: string | null;
  kind: NoticeKind;
  now: number;
}

/** Opens the notice unless the same one is open; returns it when it is new, else null. */
export async function openNotice(tx: Tx, n: NoticeInput): Promise<OpenedNotice | null> {
  const rows = await tx
    .insert(schema.notices)
    .values({
      id: newId(),
      storeId: n.storeId,
      orderId: n.orderId,
      shipmentId: n.shipmentId,
      kind: n.kind,
      reason: n.reason ?? null,
      revisedDate: n.revisedDate ?? null,
      needsPerson: n.needsPerson ?? false,
      openedAt: n.now,
      scope: n.shipmentId ?? n.orderId,
    })
    .onConflictDoNothing()
    .returning({ id: schema.notices.id });
  return rows[0] ? { id: rows[0].id, storeId: n.storeId, orderId: n.orderId, shipmentId: n.shipmentId, kind: n.kind, now: n.now } : null;
}

/**
 * Clears the open notices of these kinds for a parcel (or an order); returns how many. `open`, when
 * the caller has read it already (openNoticeKinds), saves the read and is kept up to date.
 */
export async function clearNotices(tx: Tx, scope: string, kinds: NoticeKind[], now: number, open?: Set<NoticeKind>): Promise<number> {
  // Most parcels have no open notice: ask first (a prepared query) and write only what is open.
  open ??= await openNoticeKinds(tx, scope);
  kinds = kinds.filter((k) => open.has(k));
  if (kinds.length === 0) return 0;
  for (const k of kinds) open.delete(k);
  return affectedRows(
    await tx
      .update(schema.notices)
      .set({ clearedAt: now })
      .where(and(eq(schema.notices.scope, scope), inArray(schema.notices.kind, kinds), isNull(schema.notices.clearedAt))),
  );
}

/** The kinds of notice open for a parcel (or an order). */
export async function openNoticeKinds(tx: Tx, scope: string): Promise<Set<NoticeKind>> {
  const rows = await openKinds(tx).execute({ scope });
  return new Set(rows.map((r) => r.kind as NoticeKind));
}

const openKinds = (tx: Tx) =>
  prepared(tx, 'notices.openKinds', (d) =>
    d
      .select({ kind: schema.notices.kind })
      .from(schema.notices)
      .where(and(eq(schema.notices.scope, sql.placeholder('scope')), isNull(schema.notices.clearedAt)))
      .prepare(),
  );
