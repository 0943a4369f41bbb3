// The dashboard's counts: at-risk parcels by notice kind, and cases waiting for a person.
import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import type { NoticeKind } from '../notices/notice-kinds.ts';

/** Case statuses still waiting for a person (a list, so the (store, status) index serves it). */
const ACTIVE = ['open', 'in_progress'];

export interface QueueSummary {
  atRisk: Record<NoticeKind, number> & { total: number };
  cases: { open: number; inProgress: number; unassigned: number; mine: number };
}

/** Counts for the store's dashboard; `userId` is who "mine" means. */
export async function summarizeQueues(opts: { storeId: string; userId: string }): Promise<QueueSummary> {
  const n = schema.notices;
  const c = schema.cases;
  const [byKind, byStatus, unassigned, mine] = await Promise.all([
    db()
      .select({ kind: n.kind, n: count() })
      .from(n)
      .where(and(eq(n.storeId, opts.storeId), isNull(n.clearedAt)))
      .groupBy(n.kind),
    db()
      .select({ status: c.status, n: count() })
      .from(c)
      .where(and(eq(c.storeId, opts.storeId), inArray(c.status, ACTIVE)))
      .groupBy(c.status),
    firstRow(
      db()
        .select({ n: count() })
        .from(c)
        .where(and(eq(c.storeId, opts.storeId), inArray(c.status, ACTIVE), isNull(c.assigneeUserId))),
    ),
    firstRow(
      db()
        .select({ n: count() })
        .from(c)
        .where(and(eq(c.storeId, opts.storeId), inArray(c.status, ACTIVE), eq(c.assigneeUserId, opts.userId))),
    ),
  ]);
  const k = (kind: NoticeKind) => byKind.find((r) => r.kind === kind)?.n ?? 0;
  const s = (status: string) => byStatus.find((r) => r.status === status)?.n ?? 0;
  return {
    atRisk: {
      late: k('late'),
      stalled: k('stalled'),
      not_scanned: k('not_scanned'),
      exception: k('exception'),
      delayed_dispatch: k('delayed_dispatch'),
      total: byKind.reduce((sum, r) => sum + r.n, 0),
    },
    cases: { open: s('open'), inProgress: s('in_progress'), unassigned: unassigned?.n ?? 0, mine: mine?.n ?? 0 },
  };
}
