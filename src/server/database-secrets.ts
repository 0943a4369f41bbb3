// Secrets every instance on one PostgreSQL database must hold alike, kept in the database so no
// file has to be copied between machines: the first instance to start generates one and inserts
// it (keeping a row already there: INSERT … ON CONFLICT DO NOTHING), then every instance reads
// back the one that won. Today: the VAPID key pair of web push, when the environment gives none.
// (WAYPOST_SECRET is required from the environment on PostgreSQL instead: it also encrypts what
// is stored in the database, so it must not live beside it.) On SQLite, one machine, the data
// directory keeps them (notifications/push-config.ts).
import { eq } from 'drizzle-orm';
import webpush from 'web-push';
import { databaseDialect, db, firstRow, schema, transaction } from './db.ts';

const t = schema.sharedSecrets;

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const g = globalThis as { __waypostSharedVapid?: VapidKeys };

/** The secret called `name`: the one in the database, or `generate()`'s stored by whichever instance got there first. */
export async function sharedSecret<T>(name: string, generate: () => T): Promise<T> {
  const stored = async () => (await firstRow(db().select({ value: t.value }).from(t).where(eq(t.name, name))))?.value;
  let value = await stored();
  if (value === undefined) {
    const mine = JSON.stringify(generate());
    await transaction(async (tx) => {
      await tx.insert(t).values({ name, value: mine, createdAt: Date.now() }).onConflictDoNothing();
    });
    value = await stored(); // ours, or the one another instance inserted a moment before
  }
  if (value === undefined) throw new Error(`the shared secret ${name} could not be stored`);
  return JSON.parse(value) as T;
}

/**
 * On PostgreSQL, loads the shared VAPID key pair (generating it on the database's first start),
 * unless the environment gives one; called once the migrations have run (ensureDatabase()).
 */
export async function loadSharedSecrets(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (databaseDialect() !== 'postgresql' || (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY)) return;
  g.__waypostSharedVapid = await sharedSecret('vapid', () => webpush.generateVAPIDKeys());
}

/** The VAPID key pair loadSharedSecrets() read from the database, if it has run. */
export function sharedVapidKeys(): VapidKeys | undefined {
  return g.__waypostSharedVapid;
}
