import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/server/cursor.ts';
import { readQuery } from '../../src/server/read-query.ts';

describe('page cursors', () => {
  it('round-trip a sort key as opaque URL-safe text', () => {
    const c = encodeCursor({ at: 1795273200000, id: 'aa50b06e-ef75-47ae-b6db-aa59a1b8fbf0' });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual({ at: 1795273200000, id: 'aa50b06e-ef75-47ae-b6db-aa59a1b8fbf0' });
  });

  it.each([
    ['', 'empty'],
    ['%%%', 'not base64url'],
    [Buffer.from('{"at":1}').toString('base64url'), 'not a pair'],
    [Buffer.from('[1.5,"x"]').toString('base64url'), 'not a whole time'],
    [Buffer.from('[1,""]').toString('base64url'), 'no id'],
    [Buffer.from('[1,2]').toString('base64url'), 'id not text'],
    [Buffer.from('nope').toString('base64url'), 'not JSON'],
  ])('refuses %j (%s)', (c) => {
    expect(decodeCursor(c)).toBeNull();
  });
});

describe('readQuery', () => {
  it('drops blank values and keeps the first of repeated keys', () => {
    expect(readQuery(new URLSearchParams('status=&kind=damaged&kind=lost&q=%20%2312%20'))).toEqual({ kind: 'damaged', q: '#12' });
    expect(readQuery({ a: undefined, b: ' ', c: 'x' })).toEqual({ c: 'x' });
  });
});
