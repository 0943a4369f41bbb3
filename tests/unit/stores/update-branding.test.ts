// Saving the branding: validated like the API, audited field by field, shopper pages dropped at
// once, nothing written when refused; and the contrast report the page shows beside the colours.
import { and, eq, isNull } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { brandContrast, formatRatio, previewTheme } from '../../../src/components/islands/brand-contrast.ts';
import { contrastRatio } from '../../../src/lib/color.ts';
import { db, schema } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { BrandingSchema, themeFor } from '../../../src/server/stores/branding.ts';
import { readBrandingForm } from '../../../src/server/stores/branding-form.ts';
import { getStoreById } from '../../../src/server/stores/get-store.ts';
import { updateBranding } from '../../../src/server/changes/store-settings-changed.ts';
import { makeStore } from '../../fixtures/factories.ts';
import { makePng } from '../../fixtures/images.ts';
import { freshDatabase } from '../../support/database.ts';

const staff = { userId: 'u-staff', label: 'staff@shop.example' };
const NOW = Date.parse('2026-11-21T10:00:00Z');

const audit = async (storeId: string) => await db().select().from(schema.auditLog).where(eq(schema.auditLog.storeId, storeId));
const storeChanges = async (storeId: string) =>
  await db()
    .select()
    .from(schema.pageChanges)
    .where(and(eq(schema.pageChanges.storeId, storeId), isNull(schema.pageChanges.orderId)));

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('updateBranding', () => {
  beforeEach(async () => {
    await freshDatabase();
  });

  it('saves, records who changed which field from what to what, and drops the store’s shopper pages', async () => {
    const { store } = await makeStore({ branding: { supportEmail: 'help@shop.example', supportPhone: '+1 503 555 0100' } });
    const r = await updateBranding({
      storeId: store.id,
      branding: {
        primaryColor: '#0a7d4f',
        font: 'serif',
        supportEmail: 'help@shop.example',
        supportPhone: null,
        orderNote: 'Packed by hand.',
      },
      actor: staff,
      now: NOW,
    });
    expect(r.changes).toEqual([
      { field: 'branding.primaryColor', from: '#1f5f99', to: '#0a7d4f' },
      { field: 'branding.font', from: 'system', to: 'serif' },
      { field: 'branding.supportPhone', from: '+1 503 555 0100', to: null },
      { field: 'branding.orderNote', from: null, to: 'Packed by hand.' },
    ]);
    const saved = (await getStoreById(store.id))!.branding;
    expect(saved).toMatchObject({
      primaryColor: '#0a7d4f',
      font: 'serif',
      supportEmail: 'help@shop.example',
      orderNote: 'Packed by hand.',
    });
    expect(saved).not.toHaveProperty('supportPhone');

    const entries = await audit(store.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      userId: 'u-staff',
      actor: 'staff@shop.example',
      action: 'branding.updated',
      at: NOW,
      detail: { changes: r.changes },
    });
    expect(await storeChanges(store.id)).toHaveLength(1);
    expect((await storeChanges(store.id))[0]!.changedAt).toBe(NOW);
  });

  it('refuses bad input with every problem and its pointer, and writes nothing at all', async () => {
    const { store } = await makeStore();
    const before = await getStoreById(store.id);
    const err = await refusal(
      updateBranding({
        storeId: store.id,
        branding: {
          primaryColor: 'green',
          supportEmail: 'not-an-email',
          supportUrl: 'javascript:alert(1)',
          orderNote: 'x'.repeat(501),
          font: 'comic',
        },
        logo: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        actor: staff,
        now: NOW,
      }),
    );
    expect(err.message).toBe('The branding was not saved');
    expect(err.errors.map((e) => e.pointer).sort()).toEqual(
      [
        '/branding/logo',
        '/branding/primaryColor',
        '/branding/supportEmail',
        '/branding/supportUrl',
        '/branding/orderNote',
        '/branding/font',
      ].sort(),
    );
    expect(await getStoreById(store.id)).toEqual(before);
    expect(await audit(store.id)).toEqual([]);
    expect(await storeChanges(store.id)).toEqual([]);
    expect(await db().select().from(schema.storeAssets)).toEqual([]);
  });

  it('a valid logo with another field wrong stores no asset either', async () => {
    const { store } = await makeStore();
    await refusal(updateBranding({ storeId: store.id, branding: { accentColor: 'orange' }, logo: makePng(), actor: staff, now: NOW }));
    expect(await db().select().from(schema.storeAssets)).toEqual([]);
  });

  it('uploads a logo (and audits old → new URL), then removes it', async () => {
    const { store } = await makeStore();
    const r = await updateBranding({ storeId: store.id, branding: {}, logo: makePng(8, 4), actor: staff, now: NOW });
    const url = (await getStoreById(store.id))!.branding.logoUrl!;
    expect(url).toMatch(/^\/assets\/[0-9a-f]{32}\.png$/);
    expect(r.changes).toEqual([{ field: 'branding.logoUrl', from: null, to: url }]);
    await updateBranding({ storeId: store.id, branding: {}, removeLogo: true, actor: staff, now: NOW + 1 });
    expect((await getStoreById(store.id))!.branding.logoUrl).toBeUndefined();
    expect((await audit(store.id)).map((a) => a.action)).toEqual(['branding.updated', 'branding.updated']);
    expect(await storeChanges(store.id)).toHaveLength(2);
  });

  it('judges a posted file by its content, not its name or claimed type', async () => {
    const { store } = await makeStore();
    const form = new FormData();
    form.append('primaryColor', '#123456');
    form.append(
      'logo',
      new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], 'logo.png', { type: 'image/png' }),
    );
    const input = await readBrandingForm(form);
    const err = await refusal(updateBranding({ storeId: store.id, ...input, actor: staff, now: NOW }));
    expect(err.errors).toEqual([{ pointer: '/branding/logo', detail: expect.stringMatching(/SVG/) }]);

    const real = new FormData();
    real.append('logo', new File([new Uint8Array(makePng())], 'photo.svg', { type: 'image/svg+xml' }));
    await updateBranding({ storeId: store.id, ...(await readBrandingForm(real)), actor: staff, now: NOW });
    expect((await getStoreById(store.id))!.branding.logoUrl).toMatch(/\.png$/);
  });

  it('saving the same values again changes nothing and records nothing', async () => {
    const { store } = await makeStore();
    const r = await updateBranding({
      storeId: store.id,
      branding: { primaryColor: '#1f5f99', supportEmail: null },
      actor: staff,
      now: NOW,
    });
    expect(r.changes).toEqual([]);
    expect(await audit(store.id)).toEqual([]);
    expect(await storeChanges(store.id)).toEqual([]);
  });
});

describe('readBrandingForm', () => {
  it('trims, turns empty fields into "clear it", and notices no file chosen', async () => {
    const form = new FormData();
    form.append('primaryColor', ' #aabbcc ');
    form.append('supportPhone', '   ');
    form.append('orderNote', ' Line one\r\nLine two ');
    form.append('logo', new File([], ''));
    expect(await readBrandingForm(form)).toEqual({
      branding: { primaryColor: '#aabbcc', supportPhone: null, orderNote: 'Line one\nLine two' },
      logo: null,
      removeLogo: false,
    });
  });
});

describe('the contrast report', () => {
  it('warns, with the ratio, when the accent is below WCAG AA on the white page, and names the shade shopper pages use', () => {
    const report = brandContrast('#1d4d3a', '#ffd700')!;
    const accent = report.checks.find((c) => c.id === 'accent')!;
    expect(accent.passes).toBe(false);
    expect(formatRatio(accent.ratio)).toBe('1.40:1');
    expect(accent.corrected!.color).toBe(themeFor(BrandingSchema.parse({ accentColor: '#ffd700' })).accentOnLight);
    expect(accent.corrected!.ratio).toBeGreaterThanOrEqual(4.5);
  });

  it('gives no warning for colours that pass', () => {
    const report = brandContrast('#1f5f99', '#b3541e')!;
    expect(report.checks.every((c) => c.passes)).toBe(true);
    expect(report.checks.map((c) => formatRatio(c.ratio))).toEqual(['6.65:1', '4.99:1']);
  });

  it('never rounds a failing ratio up to a passing one', () => {
    expect(formatRatio(4.499)).toBe('4.49:1');
  });

  it('says nothing for a colour that is not #rrggbb', () => {
    expect(brandContrast('green', '#000000')).toBeNull();
  });

  it('the live preview uses exactly the colours shopper pages use (themeFor), whatever the store picks', () => {
    const hex = fc
      .tuple(fc.nat(255), fc.nat(255), fc.nat(255))
      .map((rgb) => '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join(''));
    fc.assert(
      fc.property(hex, hex, (primaryColor, accentColor) => {
        const t = themeFor(BrandingSchema.parse({ primaryColor, accentColor }));
        const p = previewTheme(primaryColor, accentColor);
        expect(p).toEqual({ brand: t.brand, onBrand: t.onBrand, accentOnLight: t.accentOnLight, onAccentLight: t.onAccentLight });
        const report = brandContrast(primaryColor, accentColor)!;
        expect(report.darkMode.color).toBe(t.accentOnDark);
        // The header always passes: black or white reaches at least 4.58:1 on any colour.
        expect(report.checks[0]!.passes).toBe(true);
        expect(contrastRatio(p.onBrand, p.brand)).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 500, seed: 20261121 },
    );
  });
});
