// The store's EasyPost credentials: the API key (write-only, encrypted at rest) and the webhook
// secret (rotated by the owner, shown once so it can be pasted into EasyPost's dashboard).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { randomToken } from '../ids.ts';
import { encryptSecret } from '../security/keys.ts';
import { parseOrThrow } from '../validate.ts';

/** Whether the store has a key and a secret (never their values). */
export async function carrierCredentialStatus(storeId: string): Promise<{ hasEasyPostKey: boolean; hasWebhookSecret: boolean }> {
  const r = await firstRow(
    db()
      .select({ k: schema.stores.easypostKeyEnc, w: schema.stores.webhookSecretEnc })
      .from(schema.stores)
      .where(eq(schema.stores.id, storeId)),
  );
  return { hasEasyPostKey: !!r?.k, hasWebhookSecret: !!r?.w };
}

const KeySchema = z.object({
  easypostKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_]{8,200}$/, 'an EasyPost API key such as EZAK…'),
});

/** Sets the store's EasyPost API key. */
export async function setEasyPostKey(storeId: string, input: unknown, actor: Actor, now: number): Promise<void> {
  const { easypostKey } = parseOrThrow(KeySchema, input, 'The key was not saved');
  await transaction(async (tx) => {
    await tx
      .update(schema.stores)
      .set({ easypostKeyEnc: encryptSecret(easypostKey), updatedAt: now })
      .where(eq(schema.stores.id, storeId));
    await recordAudit(tx, { storeId, actor, action: 'easypost_key.set', detail: { ending: easypostKey.slice(-4) }, now });
  });
}

/** Replaces the webhook secret with a new random one, returned once. */
export async function rotateWebhookSecret(storeId: string, actor: Actor, now: number): Promise<string> {
  const secret = randomToken(24);
  await transaction(async (tx) => {
    await tx
      .update(schema.stores)
      .set({ webhookSecretEnc: encryptSecret(secret), updatedAt: now })
      .where(eq(schema.stores.id, storeId));
    await recordAudit(tx, { storeId, actor, action: 'webhook_secret.rotated', now });
  });
  return secret;
}
