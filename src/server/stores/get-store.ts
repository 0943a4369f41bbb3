import { eq, sql } from 'drizzle-orm';
import { db, firstRow, prepared, schema } from '../db.ts';
import { toStore, type Store } from './store.ts';

/** The store with this slug, or null. */
export async function getStoreBySlug(slug: string): Promise<Store | null> {
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
