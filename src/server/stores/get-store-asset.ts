// A store's uploaded file (its logo) by the id in its URL.
import { eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';

export interface StoreAsset {
  contentType: string;
  bytes: Buffer;
  sha256: string;
}

const ASSET_NAME = /^([0-9a-f]{32})\.(png|jpg|webp)$/;
const TYPE_OF: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

/** The asset a name like "<id>.png" names, or null (also when the extension does not match its type). */
export async function getStoreAsset(name: string): Promise<StoreAsset | null> {
  const m = ASSET_NAME.exec(name);
  if (!m) return null;
  const row = await firstRow(
    db()
      .select({ contentType: schema.storeAssets.contentType, bytes: schema.storeAssets.bytes, sha256: schema.storeAssets.sha256 })
      .from(schema.storeAssets)
      .where(eq(schema.storeAssets.id, m[1]!)),
  );
  return row && row.contentType === TYPE_OF[m[2]!] ? row : null;
}
