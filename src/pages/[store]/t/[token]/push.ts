// POST /{slug}/t/{token}/push: the browser's PushSubscription JSON → 201 (200 when this device
// already follows the order). DELETE with {endpoint} → 204. Errors are problem+json.
import type { APIRoute } from 'astro';
import { HttpProblem, readJson } from '../../../../server/http/api-route.ts';
import { problem, problemFromError } from '../../../../server/http/problem.ts';
import { isAppError } from '../../../../server/errors.ts';
import { subscribePush, unsubscribePush, type OrderRef } from '../../../../server/notifications/subscribe-push.ts';

/** The order the middleware resolved from the link (none for an unknown store or token). */
function orderOf({ store, order }: App.Locals): OrderRef | null {
  return store && order ? { storeId: store.id, orderId: order.id } : null;
}

function answer(err: unknown): Response {
  if (err instanceof HttpProblem) return err.response;
  // A subscription is made by the browser, not typed by a person: a bad one is a bad request.
  if (isAppError(err, 'invalid')) return problem(400, err.message, err.errors);
  return problemFromError(err);
}

export const POST: APIRoute = async ({ locals, request }) => {
  try {
    const order = orderOf(locals);
    if (!order) return problem(404, 'This link does not open an order.');
    const r = await subscribePush({ order, input: await readJson(request), now: Date.now() });
    return new Response(null, { status: r.created ? 201 : 200, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return answer(err);
  }
};

export const DELETE: APIRoute = async ({ locals, request }) => {
  try {
    const order = orderOf(locals);
    if (!order) return problem(404, 'This link does not open an order.');
    await unsubscribePush({ order, input: await readJson(request) });
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    return answer(err);
  }
};
