// The real @easypost/api client for a store, pointed at EASYPOST_BASE_URL (the emulator in demo
// and tests). The client never retries and ignores its `timeout` option, so the timeout is set on
// each request here and retries with backoff belong to the sync job.
import EasyPostClient from '@easypost/api';
import { config } from '../config.ts';
import { decryptSecret } from '../security/keys.ts';

export type EasyPost = InstanceType<typeof EasyPostClient>;

const REQUEST_TIMEOUT_MS = 10_000;
const clients = new Map<string, EasyPost>();

/** The client for a store's sealed EasyPost key (cached per key). */
export function easypostFor(sealedKey: string): EasyPost {
  const base = config().easypostBaseUrl;
  const cacheKey = `${base ?? ''}|${sealedKey}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new EasyPostClient(decryptSecret(sealedKey), {
      ...(base ? { baseUrl: base.endsWith('/') ? base : `${base}/` } : {}),
      requestMiddleware: (r: { timeout: (ms: number) => unknown }) => r.timeout(REQUEST_TIMEOUT_MS),
    } as ConstructorParameters<typeof EasyPostClient>[1]);
    clients.set(cacheKey, client);
  }
  return client;
}

/** What kind of failure an EasyPost call had: worth retrying soon, or not. */
export function classifyCarrierError(err: unknown): { retry: 'soon' | 'later'; message: string } {
  const e = err as { statusCode?: number; message?: string; timeout?: unknown; code?: string };
  const message = String(e?.message ?? err).slice(0, 300);
  if (e?.statusCode === 408 || e?.statusCode === 429 || (e?.statusCode !== undefined && e.statusCode >= 500))
    return { retry: 'soon', message };
  if (e?.timeout !== undefined || e?.statusCode === undefined) return { retry: 'soon', message }; // network, timeout, non-JSON body
  return { retry: 'later', message };
}
