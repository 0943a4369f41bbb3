// The render queue: after a commit of this process changed an order's page, the page (and its
// returns' pages) is rendered again (by Astro, through this server's own front door on loopback) into the page store, off the
// answer path of the write that changed it. A read that finds no stored page renders through the
// same door, and one render of a page at a time serves everyone waiting for it. See README,
// "Fresh pages".
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { and, eq } from 'drizzle-orm';
import { db, firstRow, groupedWritesBegun, schema } from '../db.ts';
import { log } from '../log.ts';
import { createOrderToken } from '../orders/order-token.ts';
import { createReturnToken } from '../security/return-token.ts';
import type { PageChange } from '../pagecache/change-feed.ts';
import { claimRenders } from '../pagecache/claim-render.ts';
import { getPage, memoryKey, renderEpoch, type CachedPage } from '../pagecache/page-cache.ts';
import { onOwnChange, type OwnChange } from '../pagecache/record-change.ts';

/** A request carrying this header with the process's render secret is rendered by Astro, whatever the page store holds. */
export const RENDER_HEADER = 'x-waypost-render';
/** With the render secret: the instant (ms) to render the page as of (the midnight sweep's next local day). */
export const RENDER_AT_HEADER = 'x-waypost-render-at';

/** What one render through the front door gave: the kept page, or the answer as Astro gave it. */
export interface RenderResult {
  page: CachedPage | undefined;
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface Queue {
  secret: string;
  port: number;
  agent: http.Agent | null;
  /** Orders (or stores) waiting for a render, in commit order; one entry each. */
  pending: Map<string, { change: OwnChange; kept: { pageKey: string; lang: string }[]; at: number }>;
  /** Renders under way, by memory key, each with renderEpoch() as it was when it began. */
  inflight: Map<string, { startedAt: number; result: Promise<RenderResult> }>;
  running: number;
  /** Ingest pressure: grouped writes begun as last seen, and when that number last moved (ms). */
  ingest: { seen: number; movedAt: number };
  /** While ingest is busy, the next render waits until then (ms), so renders keep to their share. */
  resumeAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  unsubscribe: (() => void) | null;
  stats: { queued: number; rendered: number; failed: number; latencies: number[] };
}

/** Renders at a time from the queue (two: while one waits on the write lock or the loopback, the other renders); the rest of the core stays with requests and webhooks. */
const CONCURRENCY = 2;
/** A store-wide change (branding, policies) re-renders at most this many of the pages kept in memory; the rest render on demand. */
const STORE_WIDE_RENDERS = 500;
/**
 * While carrier webhooks keep arriving (a grouped write begun in the last BUSY_MS), the queue
 * renders one page at a time and pauses after each so renders take at most BUSY_SHARE of the core:
 * a render costs ten to twenty carrier events, and rendering every change of a busy burst would
 * starve the ingest it follows. Changes meanwhile coalesce (one entry per order), nothing is lost,
 * and a page read before its render is rendered on that read, as always (never stale).
 */
const BUSY_SHARE = 0.2;
const BUSY_MS = 100;

const g = globalThis as { __waypostRenderQueue?: Queue };
const queue = (): Queue =>
  (g.__waypostRenderQueue ??= {
    secret: randomBytes(18).toString('base64url'),
    port: 0,
    agent: null,
    pending: new Map(),
    inflight: new Map(),
    running: 0,
    ingest: { seen: 0, movedAt: -Infinity },
    resumeAt: 0,
    timer: null,
    unsubscribe: null,
    stats: { queued: 0, rendered: 0, failed: 0, latencies: [] },
  });

/** True when the request carries this process's render secret. */
export function isRenderRequest(value: string | string[] | undefined): boolean {
  return typeof value === 'string' && value === queue().secret;
}

/** Starts rendering this process's changes, through the front server listening on port. */
export function startRenderQueue(port: number): void {
  const q = queue();
  q.port = port;
  q.agent ??= new http.Agent({ keepAlive: true, maxSockets: 8 });
  q.unsubscribe ??= onOwnChange((change, kept) => enqueue(q, change, kept));
}

function enqueue(q: Queue, change: OwnChange, kept: { pageKey: string; lang: string }[]): void {
  const key = `${change.storeId}:${change.orderId ?? '*'}`;
  q.pending.delete(key); // to the back: this change is the newest
  q.pending.set(key, { change, kept, at: performance.now() });
  q.stats.queued++;
  pump(q);
}

/**
 * Changes another process committed, as read from the feed, each with the pages this process
 * kept for it until then: the ones no portal has taken on (the worker's) are claimed in the
 * database, and only those this process won are queued, so one portal renders each, ahead of the
 * next read. A change another portal committed is already claimed (it renders its own). Never
 * rejects: a lost claim or a failed one only leaves the page to render on its next read.
 */
export async function renderOthersChanges(changes: { change: PageChange; kept: { pageKey: string; lang: string }[] }[]): Promise<void> {
  const q = queue();
  const open = changes.filter((c) => c.change.claimed === 0);
  if (open.length === 0 || !q.agent) return;
  try {
    const won = new Set((await claimRenders(open.map((c) => c.change.seq))).map((c) => c.seq));
    for (const c of open) if (won.has(c.change.seq)) enqueue(q, c.change, c.kept);
  } catch (err) {
    log.warn({ err }, 'claiming the render of changes made elsewhere failed; they render on their next read');
  }
}

/** Stops taking changes; renders already running finish. */
export function stopRenderQueue(): void {
  const q = queue();
  q.unsubscribe?.();
  q.unsubscribe = null;
  q.pending.clear();
  if (q.timer) clearTimeout(q.timer);
  q.timer = null;
  q.agent?.destroy();
  q.agent = null;
}

/** Queue figures for the benchmark: renders queued and done, waiting, and commit-to-stored times (ms). */
export function renderQueueStats(): { queued: number; rendered: number; failed: number; waiting: number; latencies: number[] } {
  const q = queue();
  return { ...q.stats, latencies: [...q.stats.latencies], waiting: q.pending.size + q.running };
}

/**
 * Renders the page at pageKey (in `lang`, null: the order's own) once, however many ask at the
 * same time, and resolves with the kept page (or Astro's answer when the page was not kept: a
 * 404, or a change came in meanwhile).
 *
 * A caller joins a render under way only if no change came in since it began (renderEpoch()
 * unmoved). A render that began before a change may have read the data from before it; a caller
 * that knows of the change (the front server reads the change feed first) takes its page only if
 * it was kept (a kept page is fresh: keepPage refuses a render that raced a change of its order),
 * else renders once more. Never Astro's raw answer of such a render: that is the page before the
 * change (a render queued by an order's commit, overtaken by another process's write to it).
 */
export function renderPage(pageKey: string, lang: string | null): Promise<RenderResult> {
  return renderSince(queue(), pageKey, lang, renderEpoch());
}

function renderSince(q: Queue, pageKey: string, lang: string | null, asked: number): Promise<RenderResult> {
  const key = memoryKey(pageKey, lang);
  const running = q.inflight.get(key);
  if (running && running.startedAt >= asked) return running.result;
  if (running) return running.result.then((r) => (r.page ? r : renderSince(q, pageKey, lang, asked)));
  const startedAt = renderEpoch();
  const result = fetchThroughFrontDoor(q, lang === null ? pageKey : `${pageKey}?lang=${lang}`).then((r) => ({ ...r, page: getPage(key) }));
  const entry = { startedAt, result };
  q.inflight.set(key, entry);
  const done = () => {
    if (q.inflight.get(key) === entry) q.inflight.delete(key);
  };
  result.then(done, done);
  return result;
}

/** True while carrier webhooks are being ingested (a grouped write begun within BUSY_MS). */
function ingestBusy(q: Queue, now: number): boolean {
  const seen = groupedWritesBegun();
  if (seen !== q.ingest.seen) q.ingest = { seen, movedAt: now };
  return now - q.ingest.movedAt < BUSY_MS;
}

function pump(q: Queue): void {
  if (q.timer) return; // a paused queue resumes on its timer
  while (q.pending.size > 0 && q.agent) {
    const now = performance.now();
    const busy = ingestBusy(q, now);
    if (q.running >= (busy ? 1 : CONCURRENCY)) return;
    if (busy && now < q.resumeAt) {
      // Looked at again at least every BUSY_MS: once the burst is over, renders resume at full speed.
      q.timer = setTimeout(
        () => {
          q.timer = null;
          pump(q);
        },
        Math.min(q.resumeAt - now, BUSY_MS),
      );
      return;
    }
    const [key, job] = q.pending.entries().next().value!;
    q.pending.delete(key);
    q.running++;
    // setImmediate: answers already waiting (webhooks, pages) go first.
    setImmediate(() => {
      const began = performance.now();
      void renderJob(job.change, job.kept)
        .then(() => {
          q.stats.rendered++;
          q.stats.latencies.push(performance.now() - job.at);
          if (q.stats.latencies.length > 100_000) q.stats.latencies.splice(0, 50_000);
        })
        .catch((err: unknown) => {
          q.stats.failed++;
          log.warn({ err, change: job.change }, 'rendering a changed page failed; it renders on its next read');
        })
        .finally(() => {
          q.running--;
          // The pause that keeps renders to BUSY_SHARE of the core (honoured only while ingest is busy).
          const end = performance.now();
          q.resumeAt = end + ((end - began) * (1 - BUSY_SHARE)) / BUSY_SHARE;
          pump(q);
        });
    });
  }
}

async function renderJob(change: OwnChange, kept: { pageKey: string; lang: string }[]): Promise<void> {
  const targets = new Map<string, { pageKey: string; lang: string | null }>();
  for (const k of change.orderId === null ? kept.slice(0, STORE_WIDE_RENDERS) : kept) {
    targets.set(memoryKey(k.pageKey, k.lang), k);
  }
  if (change.orderId !== null) {
    for (const own of await orderPagePaths(change.storeId, change.orderId)) targets.set(memoryKey(own, null), { pageKey: own, lang: null });
  }
  for (const t of targets.values()) {
    // Rendered meanwhile by a read (kept only when no change came after): nothing to do.
    if (getPage(memoryKey(t.pageKey, t.lang))) continue;
    await renderPage(t.pageKey, t.lang);
  }
}

/**
 * The order's page and its returns' pages, in their own language. A return's page is where its
 * emails and pushes send the shopper (and where the return form lands), so it is rendered with
 * its order's change even before anyone has read it.
 */
async function orderPagePaths(storeId: string, orderId: string): Promise<string[]> {
  const row = await firstRow(
    db()
      .select({ slug: schema.stores.slug, accessId: schema.orders.accessId })
      .from(schema.orders)
      .innerJoin(schema.stores, eq(schema.stores.id, schema.orders.storeId))
      .where(and(eq(schema.orders.id, orderId), eq(schema.orders.storeId, storeId))),
  );
  if (!row) return [];
  const returns = await db()
    .select({ accessId: schema.returns.accessId })
    .from(schema.returns)
    .where(and(eq(schema.returns.orderId, orderId), eq(schema.returns.storeId, storeId)));
  return [
    `/${row.slug}/t/${createOrderToken(storeId, row.accessId)}`,
    ...returns.map((r) => `/${row.slug}/r/${createReturnToken(storeId, r.accessId)}`),
  ];
}

/**
 * Renders the page at pageKey (lang null: the order's own) as of `at`, the first instant of the
 * order's next local day, into the table only (memory keeps today's until then). Not shared with
 * today's renders. Resolves with Astro's status; rejects when the front door is closed.
 */
export async function renderAhead(pageKey: string, lang: string | null, at: number): Promise<number> {
  const q = queue();
  if (!q.agent) throw new Error('the render queue is stopped');
  const r = await fetchThroughFrontDoor(q, lang === null ? pageKey : `${pageKey}?lang=${lang}`, { [RENDER_AT_HEADER]: String(at) });
  return r.status;
}

function fetchThroughFrontDoor(q: Queue, path: string, extra: Record<string, string> = {}): Promise<Omit<RenderResult, 'page'>> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: q.port, path, agent: q.agent ?? undefined, headers: { [RENDER_HEADER]: q.secret, ...extra } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('render timed out')));
    req.on('error', reject);
    req.end();
  });
}
