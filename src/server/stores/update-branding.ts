// The branding page's save: the branding fields (validated exactly as PATCH /api/v1/store
// validates them) and, optionally, a new logo file checked by its content, in one transaction
// (changes/store-settings-changed.ts).
import type { Actor } from '../audit/record-audit.ts';
import type { Tx } from '../db.ts';
import { AppError, isAppError, type FieldError } from '../errors.ts';
import { getStoreDocument } from './get-store-document.ts';
import { applyStorePatch } from './merge-store-patch.ts';
import type { StoreChange } from './update-store.ts';
import { checkLogo, insertLogoAsset, type CheckedLogo } from './upload-logo.ts';

export interface BrandingUpdate {
  storeId: string;
  /** Branding fields to change; null clears a field (its default applies). */
  branding: Record<string, unknown>;
  /** A newly chosen logo file's bytes, if any. */
  logo?: Uint8Array | null;
  /** True to go back to showing the store's name. Ignored when a new logo is given. */
  removeLogo?: boolean;
  actor: Actor;
  now: number;
}

const MESSAGE = 'The branding was not saved';

/** A branding save checked before its transaction: the patch, and the new logo's checked bytes. */
export interface BrandingChange {
  patch: { branding: Record<string, unknown> };
  logo: CheckedLogo | null;
}

/** Checks the logo and builds the patch; throws an 'invalid' AppError listing every bad field. */
export async function prepareBrandingChange(u: BrandingUpdate): Promise<BrandingChange> {
  const branding: Record<string, unknown> = { ...u.branding };
  delete branding.logoUrl; // only an upload or "remove" changes the logo here
  if (u.removeLogo) branding.logoUrl = null;
  const patch = { branding };
  let logo: CheckedLogo | null = null;
  if (u.logo) {
    try {
      logo = checkLogo(u.logo);
    } catch (err) {
      if (!isAppError(err, 'invalid')) throw err;
      throw new AppError('invalid', MESSAGE, [...err.errors, ...(await otherProblems(u.storeId, patch))]);
    }
  }
  return { patch, logo };
}

/** Stores the new logo (if any) inside the caller's transaction; answers the store change to write. */
export async function storeBrandingLogo(tx: Tx, u: BrandingUpdate, b: BrandingChange): Promise<StoreChange> {
  if (b.logo) b.patch.branding.logoUrl = await insertLogoAsset(tx, u.storeId, b.logo, u.now);
  return { storeId: u.storeId, patch: b.patch, actor: u.actor, now: u.now, message: MESSAGE };
}

/** With a refused logo, the other fields' problems too, so the merchant fixes everything at once. */
async function otherProblems(storeId: string, patch: unknown): Promise<FieldError[]> {
  const current = await getStoreDocument(storeId);
  if (!current) return [];
  try {
    applyStorePatch(current.document, patch);
    return [];
  } catch (err) {
    if (isAppError(err, 'invalid')) return err.errors;
    throw err;
  }
}
