// Time helpers. The emulator never reads Date.now() directly: every "now" comes from the injected clock,
// so tests can move time by hand.

/** EasyPost's timestamp format for objects (`2024-07-29T18:09:47Z`, no milliseconds). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** EasyPost's timestamp format for events (`2024-07-30T16:11:02.458Z`, with milliseconds). */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Maps scenario time to the clock's time frame. Scenario time runs `speed` times faster, so an offset of
 * 3 days at speed 60 shows up 72 minutes after creation: every timestamp the emulator reports stays
 * consistent with the caller's clock (an estimated delivery date really does pass).
 */
export function frameTime(createdAt: number, scenarioMs: number, speed: number): number {
  return createdAt + scenarioMs / speed;
}

/** Scenario time elapsed since `createdAt` according to the clock. */
export function scenarioElapsed(createdAt: number, now: number, speed: number): number {
  return (now - createdAt) * speed;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
