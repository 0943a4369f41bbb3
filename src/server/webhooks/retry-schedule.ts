// When a failed delivery is tried again: the Standard Webhooks schedule (immediately, then 5 s,
// 5 min, 30 min, 2 h, 5 h, then every 10 h) for about three days, then the delivery has failed.
const S = 1_000;
const M = 60 * S;
const H = 60 * M;

/** Gaps before attempts 2, 3, …: the last is attempt 12, 2 days 19 h 35 min after the first. */
const RETRY_GAPS_MS: readonly number[] = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 10 * H, 10 * H, 10 * H, 10 * H, 10 * H];

/**
 * An endpoint whose every attempt has failed for as long as a delivery's whole schedule (about
 * three days) is disabled, and its owner told in the back office.
 */
export const DISABLE_AFTER_MS = RETRY_GAPS_MS.reduce((a, b) => a + b, 0);

/** When attempt `attempts + 1` is due after `attempts` failed ones, or null when none is left. */
export function nextAttemptAt(attempts: number, now: number): number | null {
  const gap = RETRY_GAPS_MS[attempts - 1];
  return gap === undefined ? null : now + gap;
}
