// GET /api/v1/messages?order={number}: every message of the order, every channel, from the ledger.
import { apiRoute, json } from '../../../server/http/api-route.ts';
import { problem } from '../../../server/http/problem.ts';
import { listOrderMessages, toMessageJson } from '../../../server/messages/list-messages.ts';

export const GET = apiRoute(async ({ ctx, store }) => {
  const number = ctx.url.searchParams.get('order')?.trim();
  if (!number || number.length > 70) return problem(400, 'Name the order: ?order={number}.');
  const { rows } = await listOrderMessages(store.id, number);
  return json({ messages: rows.map(toMessageJson) });
});
