// POST /api/webhooks/easypost/{slug}: EasyPost events, verified on the raw bytes. In production
// the front server answers this path itself (src/server/http/front-server.ts); this route serves
// the dev server.
import type { APIRoute } from 'astro';
import { answerEasyPostWebhook } from '../../../../server/sync/answer-easypost-webhook.ts';

export const POST: APIRoute = async ({ params, request }) => {
  const r = await answerEasyPostWebhook(
    params.slug ?? '',
    Buffer.from(await request.arrayBuffer()),
    Object.fromEntries(request.headers),
    Date.now(),
  );
  return new Response(r.body, { status: r.status, headers: r.headers });
};
