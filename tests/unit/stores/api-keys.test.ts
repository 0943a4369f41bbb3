import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, schema, transaction } from '../../../src/server/db.ts';
import { insertApiKey, storeIdForApiKey } from '../../../src/server/stores/api-keys.ts';
import { makeStore } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

describe('store API keys', () => {
  beforeEach(async () => {
    await freshDatabase();
  });

  it('opens the store the key belongs to', async () => {
    const a = await makeStore();
    const b = await makeStore();
    expect(await storeIdForApiKey(a.apiKey)).toBe(a.store.id);
    expect(await storeIdForApiKey(b.apiKey)).toBe(b.store.id);
  });

  it('stores only a SHA-256 of the key, and its prefix', async () => {
    const { store, apiKey } = await makeStore();
    const rows = await db().select().from(schema.apiKeys).where(eq(schema.apiKeys.storeId, store.id));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.keyHash).toBe(createHash('sha256').update(apiKey).digest('hex'));
    expect(row.keyPrefix).toBe(apiKey.slice(0, 7));
    expect(row.label).toBe('First key');
    expect(row.revokedAt).toBeNull();
    for (const value of Object.values(row)) expect(String(value)).not.toContain(apiKey.slice(7));
  });

  it('gives null for a well-formed key that was never issued', async () => {
    const { apiKey } = await makeStore();
    const last = apiKey.at(-1) === 'A' ? 'B' : 'A';
    expect(await storeIdForApiKey(apiKey.slice(0, -1) + last)).toBeNull();
    expect(await storeIdForApiKey(`wp_${'A'.repeat(43)}`)).toBeNull();
  });

  it('gives null for a malformed key', async () => {
    const { apiKey } = await makeStore();
    for (const bad of [
      '',
      'wp_',
      apiKey + 'x',
      apiKey.slice(0, -1),
      `Bearer ${apiKey}`,
      ` ${apiKey}`,
      apiKey.replace('wp_', 'WP_'),
      apiKey.slice(3),
      `${apiKey.slice(0, 10)}+${apiKey.slice(11)}`,
    ]) {
      expect(await storeIdForApiKey(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('gives null once the key is revoked, while another key of the store still works', async () => {
    const { store, apiKey } = await makeStore();
    const second = await transaction((tx) => insertApiKey(tx, store.id, 'Second key', Date.now()));
    expect(second).not.toBe(apiKey);
    await transaction((tx) =>
      tx
        .update(schema.apiKeys)
        .set({ revokedAt: Date.now() })
        .where(eq(schema.apiKeys.keyHash, createHash('sha256').update(apiKey).digest('hex'))),
    );
    expect(await storeIdForApiKey(apiKey)).toBeNull();
    expect(await storeIdForApiKey(second)).toBe(store.id);
  });
});
