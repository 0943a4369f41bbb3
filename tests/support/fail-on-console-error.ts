// A console.error during a test fails that test, with the logged text in the failure: an error that
// nobody asserted is a bug hiding in passing output. A test that provokes one on purpose spies on it
// and asserts the call, e.g. `const spy = vi.spyOn(console, 'error').mockImplementation(() => {})`.
// Errors logged outside any test (a beforeAll or afterAll hook) fail the next test or the file. It is
// the first setup file, so its afterEach and afterAll run after every other hook.
import { format } from 'node:util';
import { afterAll, afterEach, beforeEach } from 'vitest';

const logged: string[] = [];
const print = console.error.bind(console);
console.error = (...args: unknown[]) => {
  logged.push(format(...args));
  print(...args);
};

/** Throws with everything logged since the last check, naming when it was logged. */
function failOnLogged(when: string): void {
  if (logged.length === 0) return;
  const text = logged.splice(0).join('\n');
  throw new Error(`console.error was called ${when}:\n${text}`);
}

beforeEach(() => failOnLogged('before this test (in a beforeAll hook, or by work still running after the previous test)'));
afterEach(() => failOnLogged('during this test'));
afterAll(() => failOnLogged('after the last test of this file'));
