import type { APIRoute } from 'astro';
import { midnightSweepStats } from '../../server/http/midnight-sweep.ts';
import { renderQueueStats } from '../../server/http/render-queue.ts';
import { pageCacheStats } from '../../server/pagecache/page-cache.ts';
import { storedPageStats } from '../../server/pagecache/page-store.ts';

/**
 * Liveness for load balancers. `?pages=1` adds the page store's figures (memory tier, render
 * queue, midnight sweep, and the shared table, which costs a scan of it): operators and the benchmark read them.
 */
export const GET: APIRoute = async ({ url }) => {
  const body: Record<string, unknown> = { ok: true };
  if (url.searchParams.get('pages') === '1') {
    const { latencies, ...queue } = renderQueueStats();
    body.pages = {
      memory: pageCacheStats(),
      queue: { ...queue, commitToStoredMs: latencies.slice(-5000) },
      table: await storedPageStats(),
      sweep: midnightSweepStats(),
    };
  }
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
};
