import type { APIRoute } from 'astro';

/** Liveness for load balancers. */
export const GET: APIRoute = () => new Response(JSON.stringify({ ok: true }), { headers: { 'content-type': 'application/json' } });
