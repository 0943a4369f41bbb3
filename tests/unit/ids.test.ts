import { describe, expect, it } from 'vitest';
import { randomToken } from '../../src/server/ids.ts';

describe('randomToken', () => {
  it('never hands out the same bytes twice, across many refills of its pool', () => {
    // 16 bytes a token: 2,000 tokens draw the 4 KB pool about eight times over.
    const tokens = Array.from({ length: 2_000 }, () => randomToken(16));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('gives the asked number of bytes, small or larger than the pool hands out', () => {
    for (const bytes of [1, 12, 24, 32, 2_000, 10_000]) expect(Buffer.from(randomToken(bytes), 'base64url').length).toBe(bytes);
  });
});
