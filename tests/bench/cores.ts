// Which core a process runs on: servers on core 1, load generators on core 0.
import { spawnSync } from 'node:child_process';

/** Pins every thread of process pid to the given core (taskset -a). */
export function pinTo(pid: number, core: 0 | 1): void {
  spawnSync('taskset', ['-a', '-pc', String(core), String(pid)], { stdio: 'ignore' });
}
