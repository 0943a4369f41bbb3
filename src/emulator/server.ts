// startEmulator: an EasyPost-compatible HTTP server on 127.0.0.1 for the demo and the tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallRecord, Emulator, EmulatorOptions, Fault, ScenarioStep } from './types.ts';
import { TrackerStore, type TrackerChange } from './trackers.ts';
import { EventStore, webhookBodyJson } from './events.ts';
import { WebhookHub } from './webhooks.ts';
import { ShipmentStore } from './shipments.ts';
import { FaultBook } from './faults.ts';
import { routeApi, trackerOut, type AppContext } from './router.ts';
import { servePublic } from './pages.ts';
import { apiKeyOf, parseJsonBody, readBody, send, sendJson } from './http.ts';
import { ApiError, apiKeyInactive, apiKeyRequired, faultError } from './errors.ts';
import { toEasyPostJson } from './json.ts';

const TICK_MS = 250;

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const clock = opts.clock ?? Date.now;
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new RangeError('speed must be > 0');
  const testMode = opts.testMode ?? false;
  const mode = testMode ? 'test' : 'production';

  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const calls: CallRecord[] = [];
  const faults = new FaultBook();
  const events = new EventStore();
  const hooks = new WebhookHub(opts.webhookRetryDelaysMs ?? [1000, 5000, 15000], opts.webhookTimeoutMs ?? 10_000);
  // Every tracker change becomes an Event and a signed delivery to each of the key's webhooks.
  const onChange = (change: TrackerChange): void => {
    const t = change.tracker;
    const targets = hooks.list(t.apiKey);
    const urls = targets.map((h) => h.url);
    const event = events.add(
      {
        apiKey: t.apiKey,
        mode: t.mode,
        description: `tracker.${change.kind}`,
        previousAttributes: change.kind === 'updated' ? { status: change.previousStatus } : {},
        result: trackerOut(ctx, t, 'event'),
        pendingUrls: [...urls],
      },
      clock(),
    );
    const body = toEasyPostJson(webhookBodyJson(event, urls));
    for (const hook of targets) {
      hooks.enqueue({
        hook,
        eventId: event.id,
        description: event.description,
        body,
        onDone: (delivered) => {
          event.pendingUrls = event.pendingUrls.filter((u) => u !== hook.url);
          (delivered ? event.completedUrls : event.failedUrls).push(hook.url);
          event.updatedAt = clock();
        },
      });
    }
  };
  const trackers = new TrackerStore({ clock, speed, testMode, onChange });
  const ctx: AppContext = {
    trackers,
    events,
    hooks,
    shipments: new ShipmentStore(clock, trackers, testMode, url),
    clock,
    mode,
    publicBase: url,
  };

  const delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          delays.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      delays.add(entry);
    });

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res).catch((err: unknown) => {
      const e = err instanceof ApiError ? err : new ApiError(500, 'INTERNAL_SERVER_ERROR', `Emulator error: ${String(err)}`);
      sendJson(res, e.status, e.body);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = new URL(req.url ?? '/', url);
    const apiKey = apiKeyOf(req);
    const call: CallRecord = { method, path: parsed.pathname, apiKey, query: parsed.search.slice(1) };
    calls.push(call);
    // Noted when the status line is written (not on 'finish'), so it is set before the client sees the answer.
    const writeHead = res.writeHead.bind(res);
    res.writeHead = ((status: number, ...rest: never[]) => {
      call.status = status;
      return writeHead(status, ...rest);
    }) as typeof res.writeHead;

    const fault = faults.take(method, parsed.pathname);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.drop) return void req.socket.destroy();
      if (fault.body !== undefined) return send(res, fault.status ?? 502, 'text/html; charset=utf-8', fault.body);
      if (fault.status) {
        const e = faultError(fault.status, fault.code, fault.message);
        return sendJson(res, e.status, e.body);
      }
    }
    if (res.destroyed) return; // the client gave up while a fault delayed us

    if (servePublic(ctx, method, parsed.pathname, res)) return;
    if (!parsed.pathname.startsWith('/v2/')) throw new ApiError(404, 'NOT_FOUND', 'The requested resource could not be found.');
    if (!apiKey) throw apiKeyRequired();
    if (apiKey.includes('inactive')) throw apiKeyInactive();
    const raw = await readBody(req);
    const body = method === 'GET' || method === 'DELETE' ? {} : parseJsonBody(raw);
    const out = routeApi(ctx, { method, path: parsed.pathname.replace(/\/+$/, ''), query: parsed.searchParams, body, apiKey });
    sendJson(res, out.status, out.body);
  }

  const timer = opts.autoTick === false ? undefined : setInterval(() => trackers.advanceAll(), TICK_MS);
  timer?.unref();

  return {
    url,
    baseUrl: `${url}/v2/`,
    calls,
    deliveries: hooks.deliveries,
    async tick() {
      trackers.advanceAll(); // deliveries it causes start right away, asynchronously
    },
    registerWebhook(apiKey: string, hookUrl: string, secret: string) {
      hooks.register(apiKey, hookUrl, secret, mode, clock());
    },
    script(trackingCode: string, steps: ScenarioStep[]) {
      trackers.script(trackingCode, steps);
    },
    inject(fault: Fault) {
      faults.inject(fault);
    },
    drainWebhooks: () => hooks.drain(),
    async close() {
      if (timer) clearInterval(timer);
      hooks.close();
      for (const d of delays) {
        clearTimeout(d.timer);
        d.resolve(); // lets delayed handlers finish; their sockets are closed below
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
