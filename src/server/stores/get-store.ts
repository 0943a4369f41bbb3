import { eq, sql } from 'drizzle-orm';
import { db, prepared, schema } from '../db.ts';
import { toStore, type Store } from './store.ts';

/** The store with this slug, or null. */
export async function getStoreBySlug(slug: string): Promise<Store | null> {
  const row = bySlug().get({ slug });
  return row ? toStore(row) : null;
}

/** The store with this id, or null. */
export async function getStoreById(id: string): Promise<Store | null> {
  const row = await db().select().from(schema.stores).where(eq(schema.stores.id, id)).get();
  return row ? toStore(row) : null;
}

const bySlug = () =>
  prepared('stores.bySlug', (d) =>
    d
      .select()
      .from(schema.stores)
      .where(eq(schema.stores.slug, sql.placeholder('slug')))
      .prepare(),
  );
