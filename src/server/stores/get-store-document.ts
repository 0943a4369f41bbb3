// The store's settings document as GET /api/v1/store and the admin forms show it.
import { eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { readStoreDocument, type StoreDocument } from './store-document.ts';

/** The document and the policy version in force, or null for an unknown store. */
export async function getStoreDocument(storeId: string): Promise<{ document: StoreDocument; policyVersion: number } | null> {
  const row = await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, storeId)));
  return row ? { document: readStoreDocument(row), policyVersion: row.policyVersion } : null;
}
