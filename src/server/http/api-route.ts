// The door of the merchant API: bearer key → store, JSON body parsing, errors as problem+json.
import type { APIContext, APIRoute } from 'astro';
import { getStoreById } from '../stores/get-store.ts';
import { storeIdForApiKey } from '../stores/api-keys.ts';
import type { Store } from '../stores/store.ts';
import { problem, problemFromError } from './problem.ts';
import { readText } from './read-body.ts';

const MAX_JSON_BYTES = 1024 * 1024;

export interface ApiContext {
  ctx: APIContext;
  store: Store;
}

/** Wraps an API handler with key authentication and error mapping. */
export function apiRoute(handler: (c: ApiContext) => Promise<Response>): APIRoute {
  return async (ctx) => {
    try {
      const header = ctx.request.headers.get('authorization') ?? '';
      const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const storeId = key ? await storeIdForApiKey(key) : null;
      const store = storeId ? await getStoreById(storeId) : null;
      if (!store) {
        return problem(
          401,
          key ? 'This API key is not valid or was revoked.' : 'Send the store’s API key as "Authorization: Bearer <key>".',
          [],
          {
            'www-authenticate': 'Bearer realm="waypost"',
          },
        );
      }
      return await handler({ ctx, store });
    } catch (err) {
      if (err instanceof HttpProblem) return err.response;
      return problemFromError(err);
    }
  };
}

/** Who acts for the audit log: the key by its prefix (as the keys page lists it), never the key itself. */
export function apiActor(ctx: APIContext): { userId: null; label: string } {
  const key = /^Bearer\s+(\S+)$/i.exec(ctx.request.headers.get('authorization') ?? '')?.[1] ?? '';
  return { userId: null, label: `API key ${key.slice(0, 7)}…` };
}

/** Reads a JSON request body, or throws a 4xx (415 not JSON, 413 over 1 MB, 400 not valid JSON). */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) throw new HttpProblem(problem(415, 'Send the body as application/json.'));
  const text = await readText(request, MAX_JSON_BYTES);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(problem(400, 'The body is not valid JSON.'));
  }
}

/** A ready response thrown from inside a handler. */
export class HttpProblem extends Error {
  readonly response: Response;
  constructor(response: Response) {
    super('http problem');
    this.response = response;
  }
}

/** JSON response helper. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}
