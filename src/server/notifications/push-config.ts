// Web-push settings: the VAPID keys (from the environment; else on SQLite generated once into the
// data dir beside secret.key, so subscriptions keep working across restarts; on PostgreSQL
// generated once into the database, so every instance signs with the same pair: database-secrets.ts)
// and the push hosts allowed.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';
import { config } from '../config.ts';
import { databaseDialect } from '../db.ts';
import { sharedVapidKeys, type VapidKeys } from '../database-secrets.ts';

const hostList = z
  .string()
  .trim()
  .transform((v) =>
    v
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:]+\](?::\d{1,5})?$/, 'host or host:port')));

const EnvSchema = z.object({
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'the 65-byte P-256 public key, base64url')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'the 32-byte P-256 private key, base64url')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, 'a mailto: or https: URL')
    .optional(),
  WAYPOST_PUSH_HOSTS: hostList.default([]),
  WAYPOST_PUSH_RATE: z.coerce.number().int().min(1).max(100_000).default(200),
  WAYPOST_PUSH_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
});

export interface PushConfig {
  vapid: { publicKey: string; privateKey: string; subject: string };
  /** host[:port] added to the known push services; http is allowed only for these. */
  extraHosts: string[];
  /** Notifications sent per second at most, per sender. */
  ratePerSecond: number;
  /** How long a sender holds the rows it claimed; a row still "sending" after it is abandoned. */
  leaseMs: number;
}

const g = globalThis as { __waypostPushConfig?: PushConfig };

/** The process's push settings, read once; bad values stop start-up naming the variable. */
export function pushConfig(env: NodeJS.ProcessEnv = process.env): PushConfig {
  if (g.__waypostPushConfig) return g.__waypostPushConfig;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (!!e.VAPID_PUBLIC_KEY !== !!e.VAPID_PRIVATE_KEY)
    throw new Error('Invalid environment:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together');
  const cfg = config();
  const keys =
    e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
      ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
      : databaseDialect() === 'postgresql'
        ? keysFromDatabase()
        : readOrCreateKeys(cfg.dataDir);
  const subject = e.VAPID_SUBJECT ?? (cfg.publicUrl.startsWith('https://') ? cfg.publicUrl : 'mailto:webpush@waypost.invalid');
  g.__waypostPushConfig = {
    vapid: { ...keys, subject },
    extraHosts: e.WAYPOST_PUSH_HOSTS,
    ratePerSecond: e.WAYPOST_PUSH_RATE,
    leaseMs: e.WAYPOST_PUSH_LEASE_MS,
  };
  return g.__waypostPushConfig;
}

/** Forgets the loaded settings (tests, after changing the environment). */
export function resetPushConfig(): void {
  g.__waypostPushConfig = undefined;
}

/** PostgreSQL: the pair every instance shares, loaded at start-up. */
function keysFromDatabase(): VapidKeys {
  const keys = sharedVapidKeys();
  if (!keys)
    throw new Error(
      'VAPID keys: on PostgreSQL they are read from the database once it is ready (await ensureDatabase() first), or set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY',
    );
  return keys;
}

/** Keys generated once and kept beside the database (mode 0600), like WAYPOST_SECRET. */
function readOrCreateKeys(dataDir: string): { publicKey: string; privateKey: string } {
  const file = resolve(dataDir, 'vapid.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  const keys = webpush.generateVAPIDKeys();
  try {
    writeFileSync(file, JSON.stringify(keys) + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return keys;
  } catch {
    // Another process (the worker, a second instance) wrote it first: use theirs.
    return JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  }
}
