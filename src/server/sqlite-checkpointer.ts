// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
// crosses 1,000 WAL pages: it copies those pages into the database file and syncs it, on the thread
// that answers webhooks and pages, so every few hundred carrier events one answer waits for the
// disk. A long-running process (the portal, a worker) moves that work to a thread of its own: a
// second connection there runs a PASSIVE checkpoint every quarter second (PASSIVE never waits for
// or blocks writers and readers), and the writing connection stops checkpointing by itself. If the
// thread fails, the writer checkpoints itself again, as before.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The thread's whole program (an eval worker: the bundled server has no file to point a worker at). */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // SQLITE_BUSY: another checkpoint (another process's) is running; the next round catches up.
    if (err && err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED') throw err;
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } finally { db.close(); }
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread after one last checkpoint. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the WAL of the database file at path from a thread of its own; `writer` is
 * the process's writing connection, whose own automatic checkpoints stop meanwhile.
 */
export function startCheckpointer(
  path: string,
  writer: { pragma(source: string): unknown },
  onFailure: (err: unknown) => void,
  everyMs = 250,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(PROGRAM, { eval: true, workerData: { path, driver, everyMs } });
  worker.unref(); // it never keeps the process alive
  writer.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.once('error', (err) => {
    if (stopped) return;
    try {
      writer.pragma('wal_autocheckpoint = 1000'); // SQLite's default: the writer checkpoints itself again
    } catch {
      // the writer was closed meanwhile: nothing left to checkpoint for
    }
    onFailure(err);
  });
  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}
