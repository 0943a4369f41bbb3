// A store's Klaviyo connection: its private API key (write-only, sealed like the EasyPost key).
// It is an endpoint of kind "klaviyo" subscribed to every event, so it shares the deliveries'
// queue, retries and history; only the request differs (webhooks/klaviyo-request.ts).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { db, firstRow, schema, transaction } from '../db.ts';
import { randomToken } from '../ids.ts';
import { encryptSecret } from '../security/keys.ts';
import { parseOrThrow } from '../validate.ts';

const e = schema.webhookEndpoints;

const KeyInput = z.object({
  klaviyoKey: z
    .string()
    .trim()
    .regex(/^pk_[A-Za-z0-9]{20,100}$/, 'a Klaviyo private API key such as pk_…'),
});

/** Whether the store sends its events to Klaviyo, and the key's last four characters' state (never the key). */
export async function klaviyoStatus(storeId: string): Promise<{ connected: boolean; status: string | null; endpointId: string | null }> {
  const r = await firstRow(
    db()
      .select({ id: e.id, status: e.status })
      .from(e)
      .where(and(eq(e.storeId, storeId), eq(e.kind, 'klaviyo'))),
  );
  return { connected: !!r, status: r?.status ?? null, endpointId: r?.id ?? null };
}

/** Sets (or replaces) the store's Klaviyo private key; from now on its events go to Klaviyo too. */
export async function setKlaviyoKey(storeId: string, input: unknown, actor: Actor, now: number): Promise<void> {
  const { klaviyoKey } = parseOrThrow(KeyInput, input, 'The key was not saved');
  await transaction(async (tx) => {
    const r = await firstRow(
      tx
        .select({ id: e.id })
        .from(e)
        .where(and(eq(e.storeId, storeId), eq(e.kind, 'klaviyo'))),
    );
    if (r)
      await tx
        .update(e)
        .set({
          secretEnc: encryptSecret(klaviyoKey),
          status: 'active',
          failingSince: null,
          disabledAt: null,
          disabledReason: null,
          updatedAt: now,
        })
        .where(eq(e.id, r.id));
    else
      await tx.insert(e).values({
        id: `ep_${randomToken(12)}`,
        storeId,
        kind: 'klaviyo',
        url: 'klaviyo:events',
        eventTypes: ['*'],
        description: 'Klaviyo Events API',
        secretEnc: encryptSecret(klaviyoKey),
        createdAt: now,
        updatedAt: now,
      });
    await recordAudit(tx, { storeId, actor, action: 'klaviyo_key.set', detail: { ending: klaviyoKey.slice(-4) }, now });
  });
}

/** Stops sending to Klaviyo (the key and the queued deliveries are deleted). */
export async function removeKlaviyoKey(storeId: string, actor: Actor, now: number): Promise<void> {
  await transaction(async (tx) => {
    const r = await firstRow(
      tx
        .select({ id: e.id })
        .from(e)
        .where(and(eq(e.storeId, storeId), eq(e.kind, 'klaviyo'))),
    );
    if (!r) return;
    await tx.delete(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.endpointId, r.id));
    await tx.delete(e).where(eq(e.id, r.id));
    await recordAudit(tx, { storeId, actor, action: 'klaviyo_key.removed', now });
  });
}
