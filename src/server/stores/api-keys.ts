// Store API keys: "wp_" + 32 random bytes. Only a SHA-256 of the key is stored; the key is shown once.
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { db, firstRow, schema, type Tx } from '../db.ts';
import { newId, randomToken } from '../ids.ts';

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Makes a key for the store inside a transaction; returns the key itself (shown once). */
export async function insertApiKey(tx: Tx, storeId: string, label: string, now: number): Promise<string> {
  const key = `wp_${randomToken(32)}`;
  await tx
    .insert(schema.apiKeys)
    .values({ id: newId(), storeId, label, keyHash: hashKey(key), keyPrefix: key.slice(0, 7), createdAt: now });
  return key;
}

/** The store id a live (unrevoked) key belongs to, or null. */
export async function storeIdForApiKey(key: string): Promise<string | null> {
  if (!/^wp_[A-Za-z0-9_-]{43}$/.test(key)) return null;
  const row = await firstRow(
    db()
      .select({ storeId: schema.apiKeys.storeId })
      .from(schema.apiKeys)
      .where(and(eq(schema.apiKeys.keyHash, hashKey(key)), isNull(schema.apiKeys.revokedAt))),
  );
  return row?.storeId ?? null;
}
