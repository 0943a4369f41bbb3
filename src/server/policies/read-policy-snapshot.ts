// A recorded policy version read back with today's schema: fields added since are filled with
// their defaults, so an old version still reads as a whole policy.
import { readSettings } from '../stores/settings.ts';
import { policiesFromSettings, type PolicySnapshot } from './policies.ts';

/** The snapshot a policy_versions row holds, every field present. */
export function readPolicySnapshot(stored: Record<string, unknown>): PolicySnapshot {
  const delays = typeof stored.delays === 'object' && stored.delays !== null ? stored.delays : {};
  const settings = readSettings({
    ...delays,
    returns: stored.returns,
    reviews: stored.reviews,
    returnAddress: stored.returnAddress ?? null,
  });
  return { ...policiesFromSettings(settings), returnAddress: settings.returnAddress };
}
