// GET /{slug}/t/{token}/live: server-sent events telling an open order page that it changed.
import type { APIRoute } from 'astro';
import { watchOrder } from '../../../../server/pagecache/watch-order.ts';

const HEARTBEAT_MS = 25_000;

export const GET: APIRoute = async ({ locals, request }) => {
  const { store, order } = locals;
  if (!store || !order) return new Response('Not found', { status: 404 });
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send('retry: 5000\n\n');
      const unsubscribe = watchOrder(store.id, order.id, (seq) => send(`event: changed\nid: ${seq}\ndata: ${seq}\n\n`));
      const heartbeat = setInterval(() => send(': still here\n\n'), HEARTBEAT_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
      };
      request.signal.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
  });
};
