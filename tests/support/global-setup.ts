// Builds the site once before any integration test starts a server from it.
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../src/server/http/build.ts';

export default function setup(): void {
  ensureBuilt(fileURLToPath(new URL('../..', import.meta.url)));
}
