// Waiting for something that happens asynchronously (a webhook, a worker round), with a bound.

/** Polls `probe` until it returns a truthy value, or fails after timeoutMs with the last value seen. */
export async function waitUntil<T>(probe: () => Promise<T> | T, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
