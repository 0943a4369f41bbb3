// One environment schema for the whole server. Bad values stop start-up with a clear message.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { BlockList } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseTrustedProxies } from './trusted-proxies.ts';

const flag = z.enum(['0', '1']).transform((v) => v === '1');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4321),
  HOST: z.string().min(1).default('127.0.0.1'),
  WAYPOST_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().optional(),
  WAYPOST_PUBLIC_URL: z.url().optional(),
  WAYPOST_SECRET: z.string().min(32, 'WAYPOST_SECRET must be at least 32 characters').optional(),
  EASYPOST_BASE_URL: z.url().optional(),
  WAYPOST_DEMO: flag.optional(),
  WAYPOST_WORKER: flag.default(true),
  WAYPOST_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  WAYPOST_SWEEP_LEAD_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .max(2 * 86_400_000)
    .default(10 * 60_000),
  WAYPOST_SWEEP_EVERY_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  WAYPOST_SYNC_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  WAYPOST_WEBHOOK_HOSTS: z.string().optional(),
  KLAVIYO_BASE_URL: z.url().optional(),
  WAYPOST_WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  WAYPOST_PSEUDO_LOCALE: flag.default(false),
  WAYPOST_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'WAYPOST_SMTP_URL must look like smtp://user:pass@host:587 or smtps://…')
    .optional(),
  WAYPOST_MAIL_FROM: z.email('WAYPOST_MAIL_FROM must be an email address').optional(),
  WAYPOST_EMAIL_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(120_000),
  WAYPOST_TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      const { problems } = parseTrustedProxies(v);
      if (problems.length)
        ctx.addIssue({
          code: 'custom',
          message: `not an IP address or CIDR range: ${problems.join(', ')} (give a comma list such as 10.0.0.0/8, 192.0.2.7, 2001:db8::/32)`,
        });
    }),
  WAYPOST_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Path of the SQLite file (the embedded default; unused when databaseUrl is set). */
  databasePath: string;
  /** A PostgreSQL connection URL (DATABASE_URL=postgres://…), or undefined for SQLite. */
  databaseUrl: string | undefined;
  /** Connections per pool (a PostgreSQL instance has a reading and a writing pool). */
  databasePoolSize: number;
  publicUrl: string;
  secret: string;
  easypostBaseUrl: string | undefined;
  /** undefined: decide at start-up (demo on an empty database). */
  demo: boolean | undefined;
  worker: boolean;
  /** The midnight sweep renders stored pages this long before their local midnight, looking every sweepEveryMs. */
  sweepLeadMs: number;
  sweepEveryMs: number;
  /** How long a carrier-sync worker holds the shipments it claimed before others may take them. */
  syncLeaseMs: number;
  logLevel: string;
  /** host:port pairs events may be sent to even on a loopback, private or link-local address. */
  webhookHosts: readonly string[];
  /** Where Klaviyo calls go (a local stand-in in tests). */
  klaviyoBaseUrl: string;
  /** How long a webhook sender holds a delivery it claimed (a dead sender's goes out again after it). */
  webhookLeaseMs: number;
  /** Tests only: `?lang=en-XA` shows shopper pages in the pseudo-locale (every catalogue word marked). */
  pseudoLocale: boolean;
  /** Where email goes (undefined: rendered and recorded as not sent). */
  smtpUrl: string | undefined;
  /** The deployment's default sender address. */
  mailFrom: string;
  /** How long the email job holds the rows it claimed (a row left "sending" past it is not resent). */
  emailLeaseMs: number;
  /** Proxies whose X-Forwarded-For is believed for the client's address (rate limits); empty: none. */
  trustedProxies: BlockList;
}

/** Reads and validates the environment; generates and keeps the secret on first start. */
function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.WAYPOST_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = isPostgresUrl(e.DATABASE_URL) ? e.DATABASE_URL : undefined;
  const databasePath = databaseUrl ? resolve(dataDir, 'waypost.db') : databasePathFrom(e.DATABASE_URL, dataDir);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databasePath,
    databaseUrl,
    databasePoolSize: e.WAYPOST_DB_POOL_SIZE,
    publicUrl: (e.WAYPOST_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    secret: e.WAYPOST_SECRET ?? (databaseUrl ? secretRequired() : readOrCreateSecret(dataDir)),
    easypostBaseUrl: e.EASYPOST_BASE_URL,
    demo: e.WAYPOST_DEMO,
    worker: e.WAYPOST_WORKER,
    sweepLeadMs: e.WAYPOST_SWEEP_LEAD_MS,
    sweepEveryMs: e.WAYPOST_SWEEP_EVERY_MS,
    syncLeaseMs: e.WAYPOST_SYNC_LEASE_MS,
    logLevel: e.WAYPOST_LOG_LEVEL,
    webhookHosts: (e.WAYPOST_WEBHOOK_HOSTS ?? '')
      .split(/[\s,]+/)
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    webhookLeaseMs: e.WAYPOST_WEBHOOK_LEASE_MS,
    klaviyoBaseUrl: (e.KLAVIYO_BASE_URL ?? 'https://a.klaviyo.com').replace(/\/+$/, ''),
    pseudoLocale: e.WAYPOST_PSEUDO_LOCALE,
    smtpUrl: e.WAYPOST_SMTP_URL,
    emailLeaseMs: e.WAYPOST_EMAIL_LEASE_MS,
    trustedProxies: parseTrustedProxies(e.WAYPOST_TRUSTED_PROXIES).list,
    mailFrom: e.WAYPOST_MAIL_FROM ?? `updates@${new URL(e.WAYPOST_PUBLIC_URL ?? 'http://localhost').hostname}`,
  };
}

/** True for a PostgreSQL connection URL (postgres:// or postgresql://). */
export function isPostgresUrl(url: string | undefined): url is string {
  return /^postgres(ql)?:\/\//i.test(url ?? '');
}

function databasePathFrom(url: string | undefined, dataDir: string): string {
  if (!url) return resolve(dataDir, 'waypost.db');
  if (url.startsWith('file:')) return resolve(url.slice('file:'.length));
  throw new Error(`DATABASE_URL: give a file: URL (SQLite) or a postgres:// URL (PostgreSQL), got "${url.split(':')[0]}:"`);
}

/** On PostgreSQL several instances share one database: one generated per machine would not agree. */
function secretRequired(): never {
  throw new Error(
    'Invalid environment:\n  WAYPOST_SECRET: required with a PostgreSQL DATABASE_URL (every portal and worker must use the same one; e.g. openssl rand -base64 32)',
  );
}

/** The secret lives beside the database so links keep working across restarts. */
function readOrCreateSecret(dataDir: string): string {
  const file = resolve(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}

let current: Config | undefined;

/** The process's configuration, loaded once. Tests call resetConfig() after changing env. */
export function config(): Config {
  const g = globalThis as { __waypostConfig?: Config };
  current ??= g.__waypostConfig ??= loadConfig();
  return current;
}

/** Forgets the loaded configuration (tests and the CLI, after changing process.env). */
export function resetConfig(): void {
  current = undefined;
  (globalThis as { __waypostConfig?: Config }).__waypostConfig = undefined;
}
