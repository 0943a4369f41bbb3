// Starts Waypost: migrations, the demo when asked for, the change feed, the front server.
import { flushPageViews } from './analytics/count-page-view.ts';
import { flushPageReads } from './pagecache/mark-page-read.ts';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { count } from 'drizzle-orm';
import { config } from './config.ts';
import { checkpointInBackground, db, firstRow, schema } from './db.ts';
import { ensureDatabase } from './bootstrap.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { DEMO_EASYPOST_KEY, DEMO_SLUG, DEMO_WEBHOOK_SECRET, seedDemo, type DemoLinks } from './demo/seed-demo.ts';
import { startJobs } from './jobs/registry.ts';
import { pushConfig } from './notifications/push-config.ts';
import { getStoreBySlug } from './stores/get-store.ts';
import { ensureBuilt } from './http/build.ts';
import { createFrontServer, type AstroHandler } from './http/front-server.ts';
import { startMidnightSweep, stopMidnightSweep } from './http/midnight-sweep.ts';
import { renderOthersChanges, startRenderQueue, stopRenderQueue } from './http/render-queue.ts';
import { log } from './log.ts';
import { onPageChanges, startPageChangeFeed, stopPageChangeFeed } from './pagecache/change-feed.ts';
import { invalidatePages, keptPagesOf } from './pagecache/page-cache.ts';
import { isOwnChange } from './pagecache/record-change.ts';

/** Scenario time runs this much faster in the demo: a 2–3 day journey takes about half an hour. */
const DEMO_EMULATOR_SPEED = 120;

export interface Running {
  server: Server;
  url: string;
  demo: DemoLinks | null;
  close(): Promise<void>;
}

/** Starts the whole portal in this process; root is the project folder. */
export async function startServer(root: string): Promise<Running> {
  const cfg = config();
  await ensureDatabase();
  checkpointInBackground(); // WAL checkpoints off the thread that answers requests
  pushConfig(); // bad VAPID_* or WAYPOST_PUSH_* values stop start-up; keys are made once

  ensureBuilt(root);
  const entry = (await import(pathToFileURL(join(root, 'dist/server/entry.mjs')).href)) as { handler: AstroHandler };

  const unsubscribe = onPageChanges((changes) => {
    const others = changes
      .filter((c) => !isOwnChange(c.seq))
      .map((change) => ({ change, kept: keptPagesOf(change.storeId, change.orderId) }));
    for (const { change } of others) invalidatePages(change.storeId, change.orderId);
    // The ones no portal renders yet (the worker's): one portal claims and renders them.
    void renderOthersChanges(others);
  });
  startPageChangeFeed();

  const server = createFrontServer({ astro: entry.handler, clientDir: join(root, 'dist/client') });
  server.listen(cfg.port, cfg.host);
  await once(server, 'listening');
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  startRenderQueue(port);
  startMidnightSweep();
  // With PORT=0 the port is known only now; links handed out must use it.
  if (!process.env.WAYPOST_PUBLIC_URL) cfg.publicUrl = `http://localhost:${port}`;

  const stores = (await firstRow(db().select({ n: count() }).from(schema.stores)))?.n ?? 0;
  // WAYPOST_DEMO unset: the demo on an empty database, and its links again on later starts.
  const demoWanted = cfg.demo ?? (stores === 0 || (await getStoreBySlug(DEMO_SLUG)) !== null);
  // The demo's parcels move through the local EasyPost emulator unless a carrier API is configured.
  let emulator: Emulator | null = null;
  if (demoWanted && !cfg.easypostBaseUrl) {
    emulator = await startEmulator({ speed: DEMO_EMULATOR_SPEED });
    cfg.easypostBaseUrl = emulator.baseUrl;
    emulator.registerWebhook(DEMO_EASYPOST_KEY, `http://127.0.0.1:${port}/api/webhooks/easypost/${DEMO_SLUG}`, DEMO_WEBHOOK_SECRET);
  }
  const demo = demoWanted ? await seedDemo({ publicUrl: cfg.publicUrl }) : null;
  const jobs = cfg.worker ? startJobs() : null;
  log.info({ host: cfg.host, port }, 'Waypost is listening');
  return {
    server,
    url: `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`,
    demo,
    close: async () => {
      await jobs?.stop();
      await emulator?.close();
      unsubscribe();
      await stopMidnightSweep();
      stopRenderQueue();
      stopPageChangeFeed();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await flushPageViews().catch(() => undefined); // the last seconds of order-page visits (deflection analytics)
      await flushPageReads(); // and of stored pages' read times (the midnight sweep's)
    },
  };
}
