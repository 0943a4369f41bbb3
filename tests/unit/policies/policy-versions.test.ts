// Every saved policy change is a numbered version holding the whole policy that was in force.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/server/clock.ts';
import { db, firstRow, schema } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { getPolicyInForce, getPolicyVersion, listPolicyVersions } from '../../../src/server/policies/get-policy-version.ts';
import { updateStore } from '../../../src/server/changes/store-settings-changed.ts';
import { makeStore } from '../../fixtures/factories.ts';
import { freshDatabase } from '../../support/database.ts';

const owner = { userId: 'u-owner', label: 'owner@shop.example' };
const DAY = 86_400_000;

describe('policy versions', () => {
  beforeEach(async () => {
    await freshDatabase();
  });

  it('a new store is at version 1, its defaults, without a row yet', async () => {
    const clock = manualClock('2026-11-01T00:00:00Z');
    const { store } = await makeStore({}, clock);
    const inForce = await getPolicyInForce(store.id);
    expect(inForce?.version).toBe(1);
    expect(inForce?.policies.returns.windowDays).toBe(30);
    expect(await getPolicyVersion(store.id, 1)).toMatchObject({ version: 1, createdBy: 'store created', createdAt: clock.now() });
    expect(await getPolicyVersion(store.id, 2)).toBeNull();
    expect(await listPolicyVersions(store.id)).toEqual([]);
  });

  it('two saves make versions 2 and 3, each row holding what was in force, and version 1 keeps the defaults', async () => {
    const clock = manualClock('2026-11-01T00:00:00Z');
    const { store } = await makeStore({}, clock);
    const t2 = clock.now() + DAY;
    const first = await updateStore({ storeId: store.id, patch: { policies: { returns: { windowDays: 45 } } }, actor: owner, now: t2 });
    expect(first.policyVersion).toBe(2);
    const t3 = t2 + DAY;
    const second = await updateStore({
      storeId: store.id,
      patch: {
        policies: { reviews: { requestDelayDays: 7 } },
        returnAddress: { name: 'Returns', street1: '1 Dock Rd', city: 'Portland', postalCode: '97201', country: 'US' },
      },
      actor: { userId: null, label: 'API key wp_AbCd…' },
      now: t3,
    });
    expect(second.policyVersion).toBe(3);

    const v1 = await getPolicyVersion(store.id, 1);
    const v2 = await getPolicyVersion(store.id, 2);
    const v3 = await getPolicyVersion(store.id, 3);
    expect(v1?.policies.returns.windowDays).toBe(30);
    expect(v1?.policies.returnAddress).toBeNull();
    expect(v2).toMatchObject({ version: 2, createdBy: 'owner@shop.example', createdAt: t2 });
    expect(v2?.policies.returns.windowDays).toBe(45);
    expect(v2?.policies.reviews.requestDelayDays).toBe(5);
    expect(v2?.policies.returnAddress).toBeNull();
    expect(v3).toMatchObject({ version: 3, createdBy: 'API key wp_AbCd…', createdAt: t3 });
    expect(v3?.policies.returns.windowDays).toBe(45);
    expect(v3?.policies.reviews.requestDelayDays).toBe(7);
    expect(v3?.policies.returnAddress?.city).toBe('Portland');
    // The row holds the whole policy, not just the change.
    expect(v3?.policies.delays.timeZone).toBe('UTC');
    expect(v3?.policies.returns.reasons).toHaveLength(8);

    expect(await getPolicyInForce(store.id)).toEqual({ version: 3, policies: v3!.policies });
    expect((await listPolicyVersions(store.id)).map((v) => v.version)).toEqual([3, 2, 1]);
    const row = (await firstRow(db().select().from(schema.stores).where(eq(schema.stores.id, store.id))))!;
    expect(row.policyVersion).toBe(3);
  });

  it('a branding-only change, a no-op and a refused change make no version', async () => {
    const { store } = await makeStore();
    await updateStore({ storeId: store.id, patch: { branding: { accentColor: '#0a7d4f' } }, actor: owner, now: 1 });
    const same = await updateStore({ storeId: store.id, patch: { policies: { returns: { windowDays: 30 } } }, actor: owner, now: 2 });
    expect(same.changes).toEqual([]);
    await expect(
      updateStore({ storeId: store.id, patch: { policies: { returns: { windowDays: -1 } } }, actor: owner, now: 3 }),
    ).rejects.toBeInstanceOf(AppError);
    expect((await getPolicyInForce(store.id))?.version).toBe(1);
    expect(await db().select().from(schema.policyVersions)).toEqual([]);
  });

  it('keeps each store’s versions apart', async () => {
    const a = (await makeStore()).store;
    const b = (await makeStore()).store;
    await updateStore({ storeId: a.id, patch: { policies: { returns: { windowDays: 10 } } }, actor: owner, now: 1 });
    expect((await getPolicyInForce(b.id))?.version).toBe(1);
    expect(await getPolicyVersion(b.id, 2)).toBeNull();
    expect((await getPolicyVersion(a.id, 2))?.policies.returns.windowDays).toBe(10);
  });
});
