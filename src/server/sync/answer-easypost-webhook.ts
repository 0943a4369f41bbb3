// The HTTP answer to an EasyPost webhook, shared by the front server (which takes webhooks before
// Astro, so the carrier's bursts skip the framework) and the Astro route (dev server).
import { isAppError } from '../errors.ts';
import { log } from '../log.ts';
import { receiveEasyPostWebhook } from './receive-easypost-webhook.ts';

export const MAX_WEBHOOK_BYTES = 512 * 1024;

export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const problem = (status: number, title: string, detail: string): PlainResponse => ({
  status,
  headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  body: JSON.stringify({ type: 'about:blank', title, status, detail }),
});

/** Verifies and applies one delivery; never throws. */
export async function answerEasyPostWebhook(
  slug: string,
  body: Buffer,
  headers: Record<string, string>,
  now: number,
): Promise<PlainResponse> {
  if (body.length > MAX_WEBHOOK_BYTES) return problem(413, 'Payload too large', 'The event is larger than 512 KB.');
  try {
    const outcome = await receiveEasyPostWebhook({ slug, body, headers, now });
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify({ received: true, outcome }),
    };
  } catch (err) {
    if (isAppError(err)) return problem(err.status, err.kind === 'unauthorized' ? 'Unauthorized' : 'Unprocessable content', err.message);
    log.error({ err, slug }, 'webhook failed');
    return problem(500, 'Internal server error', 'The event was not applied; EasyPost will deliver it again.');
  }
}
