import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { decryptSecret } from '../../../src/server/security/keys.ts';
import { createStore } from '../../../src/server/stores/create-store.ts';
import { getStoreBySlug } from '../../../src/server/stores/get-store.ts';
import { freshDatabase } from '../../support/database.ts';
import { rowCounts } from '../helpers/row-counts.ts';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('createStore', () => {
  beforeEach(async () => {
    await freshDatabase();
  });

  it('creates a store with default branding and settings and its first API key', async () => {
    const clock = manualClock('2026-11-01T00:00:00Z');
    const r = await createStore({ slug: 'north-trail', name: '  North Trail Outfitters ' }, clock);
    expect(r.store).toMatchObject({
      id: r.store.id,
      slug: 'north-trail',
      name: 'North Trail Outfitters',
      branding: { primaryColor: '#1f5f99', accentColor: '#b3541e', font: 'system' },
      settings: { timeZone: 'UTC', processingDays: 2, transitDays: 5, delayGraceDays: 1, stalledScanHours: 72, notScannedHours: 48 },
    });
    expect(r.store.webhookSecretEnc).toMatch(/^v1\./);
    expect(r.apiKey).toMatch(/^wp_[A-Za-z0-9_-]{43}$/);
    expect(await getStoreBySlug('north-trail')).toEqual(r.store);
    const row = (await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, r.store.id))))!;
    expect(row.createdAt).toBe(clock.now());
    expect(await rowCounts()).toMatchObject({ stores: 1, apiKeys: 1 });
  });

  it('keeps the webhook secret and carrier key only encrypted', async () => {
    const r = await createStore({ slug: 'enc', name: 'Enc', webhookSecret: 'whsec_0123456789', easypostKey: 'EZTK-secret-key-123' });
    expect(r.webhookSecret).toBe('whsec_0123456789');
    const row = (await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, r.store.id))))!;
    expect(row.webhookSecretEnc).not.toContain('whsec_0123456789');
    expect(row.easypostKeyEnc).not.toContain('EZTK-secret-key-123');
    expect(decryptSecret(row.webhookSecretEnc!)).toBe('whsec_0123456789');
    expect(decryptSecret(row.easypostKeyEnc!)).toBe('EZTK-secret-key-123');
  });

  it('generates a webhook secret when none is given', async () => {
    const r = await createStore({ slug: 'gen', name: 'Gen' });
    expect(r.webhookSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const row = (await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, r.store.id))))!;
    expect(decryptSecret(row.webhookSecretEnc!)).toBe(r.webhookSecret);
    expect(row.easypostKeyEnc).toBeNull();
  });

  it('accepts the shortest and longest slugs', async () => {
    await createStore({ slug: 'a', name: 'A' });
    await createStore({ slug: 'a'.repeat(40), name: 'Long' });
    expect(await rowCounts()).toMatchObject({ stores: 2 });
  });

  it.each([
    ['admin'],
    ['api'],
    ['assets'],
    ['health'],
    ['static'],
    ['My Store'],
    ['UPPER'],
    ['with_underscore'],
    ['dots.in.slug'],
    ['-leading'],
    ['trailing-'],
    ['a'.repeat(41)],
    [''],
    ['café'],
    ['a/b'],
  ])('refuses the slug %j with pointer /slug', async (slug) => {
    const err = await refusal(createStore({ slug, name: 'Shop' }));
    expect(err.kind).toBe('invalid');
    expect(err.errors.map((e) => e.pointer)).toEqual(['/slug']);
    expect(await rowCounts()).toMatchObject({ stores: 0, apiKeys: 0 });
  });

  it('points at each bad field', async () => {
    const err = await refusal(
      createStore({
        slug: 'ok',
        name: ' ',
        branding: { primaryColor: 'blue' },
        settings: { timeZone: 'Mars/Olympus' },
        webhookSecret: '',
      }),
    );
    expect(err.kind).toBe('invalid');
    expect(err.errors.map((e) => e.pointer).sort()).toEqual(['/branding/primaryColor', '/name', '/settings/timeZone', '/webhookSecret']);
  });

  it('refuses a slug that is taken, writing nothing', async () => {
    await createStore({ slug: 'taken', name: 'First' });
    const before = await rowCounts();
    const err = await refusal(createStore({ slug: 'taken', name: 'Second' }));
    expect(err.kind).toBe('conflict');
    expect(err.errors.map((e) => e.pointer)).toEqual(['/slug']);
    expect(await rowCounts()).toEqual(before);
  });

  it('answers conflict (not a database error) when two requests create the same slug at once', async () => {
    const results = await Promise.allSettled([createStore({ slug: 'race', name: 'One' }), createStore({ slug: 'race', name: 'Two' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AppError);
    expect((rejected.reason as AppError).kind).toBe('conflict');
    expect(await rowCounts()).toMatchObject({ stores: 1, apiKeys: 1 });
  });
});
