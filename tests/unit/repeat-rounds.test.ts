// The shared job loop: rounds repeat, a failing round does not end the loop, stop() waits.
import { describe, expect, it } from 'vitest';
import { repeatRounds } from '../../src/server/repeat-rounds.ts';
import { waitUntil } from '../support/wait.ts';

describe('repeatRounds', () => {
  it('keeps going after a round that throws, and stop() waits for the round under way', async () => {
    let calls = 0;
    let finished = 0;
    const rounds = repeatRounds({
      name: 'test job',
      idleMs: 5,
      round: async () => {
        calls++;
        if (calls === 2) throw new Error('a passing fault');
        await new Promise((r) => setTimeout(r, 10));
        finished++;
        return 0;
      },
    });
    await waitUntil(() => calls >= 4);
    await rounds.stop();
    const after = calls;
    expect(finished).toBe(calls - 1); // every round but the failing one ran to its end before stop() resolved
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(after);
  });

  it('runs nothing without autoStart', async () => {
    let calls = 0;
    const rounds = repeatRounds({ name: 'test job', idleMs: 1, autoStart: false, round: async () => ++calls });
    await new Promise((r) => setTimeout(r, 20));
    await rounds.stop();
    expect(calls).toBe(0);
  });
});
