// The /v2 API: maps EasyPost's endpoints onto the stores. Handlers throw ApiError for EasyPost-shaped errors.
import type { TrackerRecord, TrackerStore } from './trackers.ts';
import type { EventStore } from './events.ts';
import type { WebhookHub } from './webhooks.ts';
import type { ShipmentRecord, ShipmentStore } from './shipments.ts';
import { ApiError, notFound, parameterRequired } from './errors.ts';
import { trackerJson, type TrackerView } from './tracker-json.ts';
import { shipmentJson } from './shipment-json.ts';
import { eventJson, eventListItemJson } from './events.ts';
import { webhookJson } from './webhooks.ts';
import { paginate } from './pagination.ts';

export interface AppContext {
  trackers: TrackerStore;
  events: EventStore;
  hooks: WebhookHub;
  shipments: ShipmentStore;
  clock: () => number;
  mode: 'test' | 'production';
  publicBase: string;
}

export interface ApiRequest {
  method: string;
  path: string; // e.g. /v2/trackers/trk_…
  query: URLSearchParams;
  body: Record<string, unknown>;
  apiKey: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

type Handler = (ctx: AppContext, req: ApiRequest, id: string) => ApiResponse;

const ok = (body: unknown, status = 200): ApiResponse => ({ status, body });
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A tracker as JSON for a view. */
export function trackerOut(ctx: AppContext, t: TrackerRecord, view: TrackerView): Record<string, unknown> {
  return trackerJson(t, view, ctx.trackers.estimateMs(t), ctx.publicBase);
}

function shipmentOut(ctx: AppContext, s: ShipmentRecord): Record<string, unknown> {
  const tracker = s.trackerId ? ctx.trackers.get(s.apiKey, s.trackerId) : undefined;
  return shipmentJson(s, tracker ? trackerOut(ctx, tracker, 'get') : null);
}

function shipmentOf(ctx: AppContext, req: ApiRequest, id: string): ShipmentRecord {
  const s = ctx.shipments.get(req.apiKey, id);
  if (!s) throw notFound();
  return s;
}

// tracking_codes arrives repeated (superagent's qs, indices: false), bracketed, or comma-separated.
function trackingCodesFilter(q: URLSearchParams): Set<string> | null {
  const values = [...q.getAll('tracking_codes'), ...q.getAll('tracking_codes[]'), ...q.getAll('tracking_code')];
  const codes = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return codes.length ? new Set(codes) : null;
}

const ROUTES: Array<[string, RegExp, Handler]> = [
  [
    'POST',
    /^\/v2\/trackers$/,
    (ctx, req) => {
      const params = obj(req.body.tracker);
      if (req.body.tracker === undefined) throw parameterRequired('tracker');
      const code = typeof params.tracking_code === 'string' ? params.tracking_code.trim() : '';
      if (!code) throw parameterRequired('tracker.tracking_code');
      const carrier = typeof params.carrier === 'string' ? params.carrier : undefined;
      const { tracker, created } = ctx.trackers.create(req.apiKey, { trackingCode: code, carrier });
      return ok(trackerOut(ctx, tracker, 'create'), created ? 201 : 200);
    },
  ],
  [
    'GET',
    /^\/v2\/trackers$/,
    (ctx, req) => {
      const codes = trackingCodesFilter(req.query);
      const carrier = req.query.get('carrier')?.toUpperCase();
      const all = ctx.trackers
        .list(req.apiKey)
        .filter((t) => (!codes || codes.has(t.trackingCode)) && (!carrier || t.carrier.toUpperCase() === carrier));
      const { page, hasMore } = paginate(all, req.query);
      return ok({ trackers: page.map((t) => trackerOut(ctx, t, 'get')), has_more: hasMore });
    },
  ],
  [
    'GET',
    /^\/v2\/trackers\/([^/]+)$/,
    (ctx, req, id) => {
      const t = ctx.trackers.get(req.apiKey, id);
      if (!t) throw notFound();
      return ok(trackerOut(ctx, t, 'get'));
    },
  ],
  [
    'GET',
    /^\/v2\/events$/,
    (ctx, req) => {
      ctx.trackers.list(req.apiKey); // bring this key's trackers (and so its events) up to date first
      const { page, hasMore } = paginate(ctx.events.list(req.apiKey), req.query);
      return ok({ events: page.map(eventListItemJson), has_more: hasMore });
    },
  ],
  [
    'GET',
    /^\/v2\/events\/([^/]+)$/,
    (ctx, req, id) => {
      const e = ctx.events.get(req.apiKey, id);
      if (!e) throw notFound();
      return ok(eventJson(e));
    },
  ],
  [
    'POST',
    /^\/v2\/webhooks$/,
    (ctx, req) => {
      const params = obj(req.body.webhook);
      if (typeof params.url !== 'string' || params.url === '') throw parameterRequired('webhook.url');
      const secret = typeof params.webhook_secret === 'string' ? params.webhook_secret : '';
      return ok(webhookJson(ctx.hooks.register(req.apiKey, params.url, secret, ctx.mode, ctx.clock())), 201);
    },
  ],
  ['GET', /^\/v2\/webhooks$/, (ctx, req) => ok({ webhooks: ctx.hooks.list(req.apiKey).map(webhookJson) })],
  [
    'GET',
    /^\/v2\/webhooks\/([^/]+)$/,
    (ctx, req, id) => {
      const hook = ctx.hooks.list(req.apiKey).find((h) => h.id === id);
      if (!hook) throw notFound();
      return ok(webhookJson(hook));
    },
  ],
  [
    'DELETE',
    /^\/v2\/webhooks\/([^/]+)$/,
    (ctx, req, id) => {
      if (!ctx.hooks.remove(req.apiKey, id)) throw notFound();
      return ok({});
    },
  ],
  ['POST', /^\/v2\/shipments$/, (ctx, req) => ok(shipmentOut(ctx, ctx.shipments.create(req.apiKey, req.body.shipment)), 201)],
  ['GET', /^\/v2\/shipments\/([^/]+)$/, (ctx, req, id) => ok(shipmentOut(ctx, shipmentOf(ctx, req, id)))],
  [
    'POST',
    /^\/v2\/shipments\/([^/]+)\/buy$/,
    (ctx, req, id) => ok(shipmentOut(ctx, ctx.shipments.buy(shipmentOf(ctx, req, id), req.body))),
  ],
  [
    'GET',
    /^\/v2\/shipments\/([^/]+)\/label$/,
    (ctx, req, id) => {
      const format = req.query.get('file_format');
      if (!format) throw parameterRequired('file_format');
      return ok(shipmentOut(ctx, ctx.shipments.convertLabel(shipmentOf(ctx, req, id), format)));
    },
  ],
  [
    'POST',
    /^\/v2\/shipments\/([^/]+)\/forms$/,
    (ctx, req, id) => ok(shipmentOut(ctx, ctx.shipments.generateForm(shipmentOf(ctx, req, id), req.body)), 201),
  ],
  ['POST', /^\/v2\/shipments\/([^/]+)\/refund$/, (ctx, req, id) => ok(shipmentOut(ctx, ctx.shipments.refund(shipmentOf(ctx, req, id))))],
];

/** Answers one authenticated /v2 request; throws ApiError for EasyPost-shaped failures. */
export function routeApi(ctx: AppContext, req: ApiRequest): ApiResponse {
  let pathMatched = false;
  for (const [method, pattern, handler] of ROUTES) {
    const m = pattern.exec(req.path);
    if (!m) continue;
    pathMatched = true;
    if (method === req.method) return handler(ctx, req, decodeURIComponent(m[1] ?? ''));
  }
  if (pathMatched) throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'The requested method is not allowed for this resource.');
  throw notFound();
}
