import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { db, firstRow, isUniqueViolation, schema, transaction } from '../db.ts';
import { AppError } from '../errors.ts';
import { newId, randomToken } from '../ids.ts';
import { encryptSecret } from '../security/keys.ts';
import { systemClock, type Clock } from '../clock.ts';
import { insertApiKey } from './api-keys.ts';
import { BrandingSchema, type Branding } from './branding.ts';
import { SettingsSchema, type StoreSettings } from './settings.ts';
import { RESERVED_SLUGS, SLUG, toStore, type Store } from './store.ts';

export const CreateStoreInput = z.object({
  slug: z
    .string()
    .regex(SLUG, 'lower-case letters, digits and dashes, 1–40 characters')
    .refine((s) => !RESERVED_SLUGS.has(s), 'this word is reserved'),
  name: z.string().trim().min(1).max(120),
  // The merchant chooses it in EasyPost's dashboard, so any non-empty secret must be storable.
  webhookSecret: z.string().min(1).max(200).optional(),
  easypostKey: z.string().min(8).max(200).optional(),
  branding: BrandingSchema.partial().optional(),
  settings: SettingsSchema.partial().optional(),
});
export type CreateStoreInput = z.input<typeof CreateStoreInput>;

/** Creates a store and its first API key (returned once). */
export async function createStore(
  input: CreateStoreInput,
  clock: Clock = systemClock,
): Promise<{ store: Store; apiKey: string; webhookSecret: string }> {
  const parsed = CreateStoreInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      'invalid',
      'The store could not be created',
      parsed.error.issues.map((i) => ({ pointer: '/' + i.path.join('/'), detail: i.message })),
    );
  }
  const v = parsed.data;
  const exists = await firstRow(db().select({ id: schema.stores.id }).from(schema.stores).where(eq(schema.stores.slug, v.slug)));
  if (exists) throw new AppError('conflict', `A store with the slug "${v.slug}" exists already`, [{ pointer: '/slug', detail: 'taken' }]);
  const now = clock.now();
  const id = newId();
  const webhookSecret = v.webhookSecret ?? randomToken(24);
  const branding: Branding = BrandingSchema.parse(v.branding ?? {});
  const settings: StoreSettings = SettingsSchema.parse(v.settings ?? {});
  try {
    return await insertStore();
  } catch (err) {
    // Two requests raced for the same slug; the loser hears what a later request would.
    if (isUniqueViolation(err))
      throw new AppError('conflict', `A store with the slug "${v.slug}" exists already`, [{ pointer: '/slug', detail: 'taken' }]);
    throw err;
  }

  function insertStore() {
    return transaction(async (tx) => {
      const row = await firstRow(
        tx
          .insert(schema.stores)
          .values({
            id,
            slug: v.slug,
            name: v.name,
            branding,
            settings,
            webhookSecretEnc: encryptSecret(webhookSecret),
            easypostKeyEnc: v.easypostKey ? encryptSecret(v.easypostKey) : null,
            createdAt: now,
            updatedAt: now,
          })
          .returning(),
      );
      const apiKey = await insertApiKey(tx, id, 'First key', now);
      return { store: toStore(row!), apiKey, webhookSecret };
    });
  }
}
