import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/server/errors.ts';
import { handleForm, handleInput } from '../../../src/server/http/form-page.ts';

const post = (fields: Record<string, string>) => ({
  request: new Request('http://x/form', { method: 'POST', body: new URLSearchParams(fields) }),
  response: {} as { status?: number },
});

describe('handleForm', () => {
  it('hands the work the posted fields and passes its redirect through', async () => {
    const page = post({ rating: '5', body: 'Warm' });
    const r = await handleForm(page, (_form, values) => new Response(null, { status: 303, headers: { location: `/?r=${values.rating}` } }));
    expect(r.ok).toBe(true);
    expect(r.response?.headers.get('location')).toBe('/?r=5');
    expect(r.values).toEqual({ rating: '5', body: 'Warm' });
    expect(page.response.status).toBeUndefined();
  });

  it('turns an expected failure into field errors (first per field), reasons, a summary and its status', async () => {
    const page = post({ rating: '9' });
    const r = await handleForm(page, () => {
      throw new AppError('invalid', 'The review was not saved', [
        { pointer: '/rating', detail: 'Choose 1 to 5 stars' },
        { pointer: '/rating', detail: 'a second word on it' },
        { pointer: '/body', detail: 'Write a few words' },
      ]);
    });
    expect(r).toMatchObject({ ok: false, response: null, message: 'The review was not saved', values: { rating: '9' } });
    expect([...r.errors]).toEqual([
      ['/rating', 'Choose 1 to 5 stars'],
      ['/body', 'Write a few words'],
    ]);
    expect(r.reasons).toHaveLength(3);
    expect(r.summary).toBe('The review was not saved: Choose 1 to 5 stars; a second word on it; Write a few words');
    expect(r.fieldSummary).toBe('The review was not saved: rating Choose 1 to 5 stars; rating a second word on it; body Write a few words');
    expect(page.response.status).toBe(422);
  });

  it('maps the status when asked, leaves it when told, and lets other kinds and real bugs through', async () => {
    const notFound = () => {
      throw new AppError('not_found', 'No such key');
    };
    const a = post({});
    expect((await handleForm(a, notFound, { status: () => 410 })).reasons).toEqual(['No such key']);
    expect(a.response.status).toBe(410);
    const big = post({});
    await handleForm(big, () => Promise.reject(new AppError('too_large', 'The request body is larger than this address accepts.')), {
      status: () => 422,
    });
    expect(big.response.status).toBe(413);
    const b = post({});
    await handleInput(b, notFound, { status: 'unchanged' });
    expect(b.response.status).toBeUndefined();
    await expect(handleInput(post({}), notFound, { kinds: ['invalid'] })).rejects.toThrow('No such key');
    await expect(
      handleInput(post({}), () => {
        throw new TypeError('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
