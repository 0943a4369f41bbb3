// POST /api/webhooks/easypost/{slug}: EasyPost events, verified on the raw bytes.
import type { APIRoute } from 'astro';
import { receiveEasyPostWebhook } from '../../../../server/carriers/receive-easypost-webhook.ts';
import { json } from '../../../../server/http/api-route.ts';
import { problem, problemFromError } from '../../../../server/http/problem.ts';

const MAX_BYTES = 512 * 1024;

export const POST: APIRoute = async ({ params, request }) => {
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_BYTES) return problem(413, 'The event is larger than 512 KB.');
  try {
    const outcome = await receiveEasyPostWebhook({
      slug: params.slug ?? '',
      body,
      headers: Object.fromEntries(request.headers),
      now: Date.now(),
    });
    return json({ received: true, outcome });
  } catch (err) {
    return problemFromError(err);
  }
};
