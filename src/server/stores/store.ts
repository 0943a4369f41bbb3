// The store as the domain sees it.
import type { Branding } from './branding.ts';
import type { StoreSettings } from './settings.ts';
import { readBranding } from './branding.ts';
import { readSettings } from './settings.ts';
import type { schema } from '../db.ts';

export interface Store {
  id: string;
  slug: string;
  name: string;
  branding: Branding;
  settings: StoreSettings;
  /** Sealed (encrypted) EasyPost webhook secret; server-only, never rendered. */
  webhookSecretEnc: string | null;
}

/** The domain view of a stores row. */
export function toStore(row: typeof schema.stores.$inferSelect): Store {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    branding: readBranding(row.branding),
    settings: readSettings(row.settings),
    webhookSecretEnc: row.webhookSecretEnc,
  };
}

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** Paths that can never be a store's slug. */
export const RESERVED_SLUGS = new Set(['admin', 'api', 'assets', '_astro', 'favicon.ico', 'robots.txt', 'health', 'sw.js', 'static']);
