// A case's history: its internal notes and every audited change to it, oldest first.
import { and, asc, eq, gte, ne, sql } from 'drizzle-orm';
import { db, schema } from '../db.ts';
import { caseStatusWords } from './queue-words.ts';

export type HistoryEntry =
  | { type: 'note'; id: string; at: number; who: string; body: string }
  | { type: 'change'; id: string; at: number; who: string; text: string };

/** The notes and changes of the store's case opened at `since` (its createdAt). */
export async function listCaseHistory(opts: { storeId: string; caseId: string; since: number }): Promise<HistoryEntry[]> {
  const n = schema.caseNotes;
  const a = schema.auditLog;
  const [notes, changes] = await Promise.all([
    db()
      .select({ id: n.id, at: n.createdAt, body: n.body, email: schema.users.email, name: schema.users.name })
      .from(n)
      .leftJoin(schema.users, eq(schema.users.id, n.userId))
      .where(and(eq(n.caseId, opts.caseId), eq(n.storeId, opts.storeId)))
      .orderBy(asc(n.createdAt)),
    // The store's entries since the case opened (the (store, at) index), then this case's own.
    // `->>` reads a JSON field the same way in SQLite and PostgreSQL.
    db()
      .select({ id: a.id, at: a.at, action: a.action, detail: a.detail, actor: a.actor, name: schema.users.name })
      .from(a)
      .leftJoin(schema.users, eq(schema.users.id, a.userId))
      .where(
        and(
          eq(a.storeId, opts.storeId),
          gte(a.at, opts.since),
          ne(a.action, 'case.note_added'),
          sql`${a.detail} ->> 'caseId' = ${opts.caseId}`,
        ),
      )
      .orderBy(asc(a.at)),
  ]);
  const entries: HistoryEntry[] = [
    ...notes.map((x): HistoryEntry => ({ type: 'note', id: x.id, at: x.at, who: x.name ?? x.email ?? 'a former account', body: x.body })),
    ...changes.map((x): HistoryEntry => ({
      type: 'change',
      id: x.id,
      at: x.at,
      who: x.name ?? x.actor,
      text: describeChange(x.action, x.detail ?? {}),
    })),
  ];
  return entries.sort((p, q) => p.at - q.at);
}

function describeChange(action: string, d: Record<string, unknown>): string {
  const status = (v: unknown) => caseStatusWords(String(v)).toLowerCase();
  if (action === 'case.status_changed') return `changed the status from ${status(d.from)} to ${status(d.to)}`;
  if (action === 'case.assigned')
    return d.to ? `assigned it to ${String(d.to)}` : `unassigned it${d.from ? ` from ${String(d.from)}` : ''}`;
  return action;
}
