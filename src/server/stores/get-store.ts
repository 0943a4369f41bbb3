import { eq, sql } from 'drizzle-orm';
import { db, firstRow, prepared, schema } from '../db.ts';
import { SLUG, toStore, type Store } from './store.ts';

/** The store with this slug, or null. */
export async function getStoreBySlug(slug: string): Promise<Store | null> {
  // No store has a slug outside the rule, so such a path is not asked of the database: PostgreSQL
  // refuses text holding a NUL byte (an error, a 500) where SQLite simply found nothing.
  if (!SLUG.test(slug)) return null;
  const row = await firstRow(bySlug().execute({ slug }));
  return row ? toStore(row) : null;
}

/** The store with this id, or null. */
export async function getStoreById(id: string): Promise<Store | null> {
  const row = await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, id)));
  return row ? toStore(row) : null;
}

const bySlug = () =>
  prepared(db(), 'stores.bySlug', (d) =>
    d
      .select()
      .from(schema.stores)
      .where(eq(schema.stores.slug, sql.placeholder('slug')))
      .prepare(),
  );
