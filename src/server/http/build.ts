// Makes sure Astro's build exists and is newer than the sources, so `npm start` on a fresh clone
// (or after a pull) serves what the code says.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../log.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Runs `astro build` when dist/ is missing or older than src/, db/ or the Astro config. */
export function ensureBuilt(root: string): void {
  const entry = join(root, 'dist/server/entry.mjs');
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(root, 'public')),
    statSync(join(root, 'astro.config.mjs')).mtimeMs,
  );
  if (built > sources) return;
  log.info('building the site (astro build)…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error('astro build failed');
}
