// The page store's shared tier: the page_store table, read by every instance, so a page is
// rendered once (after the change that altered it, or by the first read) and not once per
// instance. A change deletes its rows inside the writing transaction (record-change.ts); a render
// is written only if no change of its order or store came after the render began (page-versions.ts
// on PostgreSQL), and never over a newer render. See README, "Fresh pages".
import { and, eq, gt, gte, isNull, lt, max, or, sql } from 'drizzle-orm';
import { affectedRows, db, firstRow, prepared, schema, transaction, type Tx } from '../db.ts';
import type { CachedPage } from './page-cache.ts';
import { guardsByVersionRow, unchangedSince } from './page-versions.ts';

const t = schema.pageStore;

/** Where a render began: the change feed's latest seq, and on PostgreSQL the database's snapshot (page-versions.ts). */
export interface RenderVersion {
  seq: number;
  snapshot: string | null;
}

/** Take it before reading anything a page is rendered from (the store and order too). */
export async function currentVersion(): Promise<RenderVersion> {
  if (guardsByVersionRow()) {
    const row = await firstRow(
      db()
        .select({ seq: max(schema.pageChanges.seq), snapshot: sql<string>`pg_current_snapshot()::text` })
        .from(schema.pageChanges),
    );
    return { seq: row?.seq ?? 0, snapshot: row!.snapshot };
  }
  const row = await firstRow(
    prepared(db(), 'pagestore.version', (d) =>
      d
        .select({ seq: max(schema.pageChanges.seq) })
        .from(schema.pageChanges)
        .prepare(),
    ).execute(),
  );
  return { seq: row?.seq ?? 0, snapshot: null };
}

/** The stored page for a path in a language (null: the order's own), if it is still fresh at `now`. */
export async function readStoredPage(pageKey: string, lang: string | null, now: number): Promise<CachedPage | undefined> {
  const rows =
    lang === null
      ? await prepared(db(), 'pagestore.readOwn', (d) =>
          d
            .select()
            .from(t)
            .where(and(eq(t.pageKey, sql.placeholder('pageKey')), eq(t.ownLanguage, true)))
            .limit(1)
            .prepare(),
        ).execute({ pageKey })
      : await prepared(db(), 'pagestore.readLang', (d) =>
          d
            .select()
            .from(t)
            .where(and(eq(t.pageKey, sql.placeholder('pageKey')), eq(t.lang, sql.placeholder('lang'))))
            .limit(1)
            .prepare(),
        ).execute({ pageKey, lang });
  const row = rows[0];
  return row && now < row.staleAt && (row.freshFrom ?? 0) <= now ? row : undefined;
}

/**
 * Writes a rendered page, unless its order or its store changed after the render began (it read
 * data a newer change replaced) or a page rendered from a newer version is stored. True when
 * written. On SQLite the transaction holds the only write lock and seqs commit in order, so a
 * change with a seq above page.version is one the render did not see. On PostgreSQL neither holds:
 * the order's and store's page_versions rows decide, against the render's snapshot.
 */
export async function writeStoredPage(page: CachedPage, snapshot: string | null): Promise<boolean> {
  return transaction(async (tx) => {
    const stale = snapshot === null ? await changedAfter(tx, page) : !(await unchangedSince(tx, page.storeId, page.orderId, snapshot));
    if (stale) return false;
    const values = {
      pageKey: page.pageKey,
      lang: page.lang,
      ownLanguage: page.ownLanguage,
      storeId: page.storeId,
      orderId: page.orderId,
      body: page.body,
      gzip: page.gzip,
      brotli: page.brotli,
      etag: page.etag,
      headers: page.headers,
      version: page.version,
      renderedAt: page.renderedAt,
      localDay: page.localDay,
      staleAt: page.staleAt,
      freshFrom: page.freshFrom ?? null,
      // Kept as stored when this render was not a shopper's read (the queue's, the sweep's).
      ...(page.readAt ? { readAt: page.readAt } : {}),
    };
    const { pageKey: _k, lang: _l, ...set } = values;
    if (page.ownLanguage) {
      // One row per page answers a request without ?lang=.
      await tx
        .update(t)
        .set({ ownLanguage: false })
        .where(and(eq(t.pageKey, page.pageKey), eq(t.ownLanguage, true), sql`${t.lang} <> ${page.lang}`));
    }
    const result = await tx
      .insert(t)
      .values(values)
      // Never over a newer render, nor a page the sweep rendered for the next local day with one for today.
      .onConflictDoUpdate({
        target: [t.pageKey, t.lang],
        set,
        setWhere: and(gte(sql`excluded.version`, t.version), gte(sql`excluded.stale_at`, t.staleAt)),
      });
    return affectedRows(result) > 0;
  });
}

/** SQLite: a change of the page's order or store with a seq above the one the render began at. */
async function changedAfter(tx: Tx, page: CachedPage): Promise<boolean> {
  const newer = await firstRow(
    tx
      .select({ seq: schema.pageChanges.seq })
      .from(schema.pageChanges)
      .where(
        and(
          gt(schema.pageChanges.seq, page.version),
          eq(schema.pageChanges.storeId, page.storeId),
          or(eq(schema.pageChanges.orderId, page.orderId), isNull(schema.pageChanges.orderId)),
        ),
      )
      .limit(1),
  );
  return newer !== undefined;
}

/** Inside a writing transaction: the stored pages of an order (orderId null: of the whole store) are stale. */
export async function deleteStoredPages(tx: Tx, storeId: string, orderId: string | null): Promise<void> {
  if (orderId === null) {
    await tx.delete(t).where(eq(t.storeId, storeId));
    return;
  }
  await prepared(tx, 'pagestore.deleteOrder', (d) =>
    d
      .delete(t)
      .where(and(eq(t.storeId, sql.placeholder('storeId')), eq(t.orderId, sql.placeholder('orderId'))))
      .prepare(),
  ).execute({ storeId, orderId });
}

/** Deletes pages past their order's local midnight (the prune job); they are rendered again on demand. */
export async function pruneStoredPages(now: number): Promise<number> {
  return transaction(async (tx) => affectedRows(await tx.delete(t).where(lt(t.staleAt, now))));
}

/** Rows and bytes held by the table (the three encodings and the headers), for the benchmark. */
export async function storedPageStats(): Promise<{ pages: number; bytes: number }> {
  const row = await firstRow(
    db()
      .select({
        pages: sql<number>`count(*)`,
        bytes: sql<number>`coalesce(sum(length(${t.body}) + length(${t.gzip}) + length(${t.brotli}) + length(cast(${t.headers} as text))), 0)`,
      })
      .from(t),
  );
  return { pages: Number(row?.pages ?? 0), bytes: Number(row?.bytes ?? 0) };
}
