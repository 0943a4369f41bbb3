// API keys of a store, managed by its owner: listed by prefix, made (shown once), revoked.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { parseOrThrow } from '../validate.ts';
import { insertApiKey } from './api-keys.ts';

/** The store's keys, newest first (never the key itself). */
export async function listApiKeys(storeId: string) {
  return await db()
    .select({
      id: schema.apiKeys.id,
      label: schema.apiKeys.label,
      prefix: schema.apiKeys.keyPrefix,
      createdAt: schema.apiKeys.createdAt,
      revokedAt: schema.apiKeys.revokedAt,
    })
    .from(schema.apiKeys)
    .where(eq(schema.apiKeys.storeId, storeId))
    .orderBy(desc(schema.apiKeys.createdAt));
}

const LabelSchema = z.object({ label: z.string().trim().min(1, 'give the key a name').max(80) });

/** Makes a new key; returns it once. */
export async function createApiKey(storeId: string, input: unknown, actor: Actor, now: number): Promise<string> {
  const { label } = parseOrThrow(LabelSchema, input, 'The key could not be created');
  return transaction(async (tx) => {
    const key = await insertApiKey(tx, storeId, label, now);
    await recordAudit(tx, { storeId, actor, action: 'api_key.created', detail: { label, prefix: key.slice(0, 7) }, now });
    return key;
  });
}

/** Revokes one of the store's keys; another store's key id is not found. */
export async function revokeApiKey(storeId: string, keyId: string, actor: Actor, now: number): Promise<void> {
  await transaction(async (tx) => {
    const r = await firstRow(
      tx
        .update(schema.apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(schema.apiKeys.id, keyId), eq(schema.apiKeys.storeId, storeId), isNull(schema.apiKeys.revokedAt)))
        .returning({ label: schema.apiKeys.label, prefix: schema.apiKeys.keyPrefix }),
    );
    if (!r) throw new AppError('not_found', 'No such key');
    await recordAudit(tx, { storeId, actor, action: 'api_key.revoked', detail: { label: r.label, prefix: r.prefix }, now });
  });
}
