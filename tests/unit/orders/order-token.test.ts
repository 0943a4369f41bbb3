import { describe, expect, it } from 'vitest';
import { resetConfig } from '../../../src/server/config.ts';
import { createOrderToken, readOrderToken } from '../../../src/server/orders/order-token.ts';

describe('order link tokens', () => {
  const accessId = 'AAAAAAAAAAAAAAAAAAAAAA';

  it('opens the order in the store it was made for', () => {
    const token = createOrderToken('store-a', accessId);
    expect(readOrderToken('store-a', token)).toBe(accessId);
  });

  it('is refused under another store', () => {
    expect(readOrderToken('store-b', createOrderToken('store-a', accessId))).toBeNull();
  });

  it('is refused when any character is changed', () => {
    const token = createOrderToken('store-a', accessId);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const swapped = token.slice(0, i) + (token[i] === 'B' ? 'C' : 'B') + token.slice(i + 1);
      expect(readOrderToken('store-a', swapped)).toBeNull();
    }
  });

  it('is refused when malformed', () => {
    for (const t of ['', '.', 'abc.def', `${accessId}.`, `${accessId}.${'x'.repeat(21)}`, `${accessId}.${'x'.repeat(22)}/`]) {
      expect(readOrderToken('store-a', t)).toBeNull();
    }
  });

  it('stops opening anything once WAYPOST_SECRET is rotated', () => {
    const token = createOrderToken('store-a', accessId);
    const before = process.env.WAYPOST_SECRET;
    process.env.WAYPOST_SECRET = 'a-rotated-secret-a-rotated-secret-012345';
    resetConfig();
    try {
      expect(readOrderToken('store-a', token)).toBeNull();
      expect(readOrderToken('store-a', createOrderToken('store-a', accessId))).toBe(accessId);
    } finally {
      process.env.WAYPOST_SECRET = before;
      resetConfig();
    }
  });
});
