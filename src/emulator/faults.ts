// Injected faults: the next N matching requests fail (429, 5xx), hang, or lose their connection, so the
// portal's retry, backoff and timeout handling can be tested against the real client.
import type { Fault } from './types.ts';

/** Pending faults in the order they were injected. */
export class FaultBook {
  private readonly faults: Array<{ fault: Fault; left: number }> = [];

  /** Adds a fault for its next `times` (default 1) matching requests. */
  inject(fault: Fault): void {
    this.faults.push({ fault, left: fault.times ?? 1 });
  }

  /** The first fault matching this request, used up by one; undefined when none applies. */
  take(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(({ fault }) => matches(fault, method, path));
    if (i < 0) return undefined;
    const entry = this.faults[i]!;
    entry.left -= 1;
    if (entry.left <= 0) this.faults.splice(i, 1);
    return entry.fault;
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  if (fault.path === undefined) return true;
  if (typeof fault.path === 'string') return path.includes(fault.path);
  fault.path.lastIndex = 0; // a /g regex would otherwise remember where it stopped
  return fault.path.test(path);
}
