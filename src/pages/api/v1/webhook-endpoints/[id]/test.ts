// POST /api/v1/webhook-endpoints/{id}/test: queues a webhook.test event for this endpoint alone (202).
import { apiRoute, json } from '../../../../../server/http/api-route.ts';
import { sendTestEvent } from '../../../../../server/webhooks/manage-endpoints.ts';

export const POST = apiRoute(async ({ ctx, store }) => json(await sendTestEvent(store.id, ctx.params.id ?? '', Date.now()), 202));
