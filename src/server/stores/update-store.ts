// Changing a store's settings document (branding, policies, return address): the one write path
// behind the branding page, the policies page and PATCH /api/v1/store. Validated as a whole and
// written here; what follows (a policy version, audit entries, shopper pages dropped) is listed in
// changes/store-settings-changed.ts.
import { eq } from 'drizzle-orm';
import type { Actor } from '../audit/record-audit.ts';
import { firstRow, lockRow, schema, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { settingsFromPolicies } from '../policies/policies.ts';
import { describeChanges, type FieldChange } from './describe-changes.ts';
import { getStoreDocument } from './get-store-document.ts';
import { applyStorePatch } from './merge-store-patch.ts';
import { readStoreDocument, type StoreDocument } from './store-document.ts';
import { dkimAligned, fromAddress } from './dkim-key.ts';

export interface StoreChange {
  storeId: string;
  /** A JSON Merge Patch of the store document ({branding, policies, returnAddress}). */
  patch: unknown;
  actor: Actor;
  now: number;
  /** The words of a refusal ("The branding was not saved"). */
  message?: string;
}

/** A store document change as written: the documents before and after, and the store's row as it was. */
export interface StoreDocumentWrite {
  before: StoreDocument;
  after: StoreDocument;
  /** Empty when the patch changed nothing (then nothing was written). */
  changes: FieldChange[];
  /** The policy version in force before the change, and since when the store has existed. */
  policyVersion: number;
  storeCreatedAt: number;
}

/** Validates the merged document and writes it, inside the caller's transaction; throws an 'invalid' AppError (nothing written) when it is refused. */
export async function writeStoreDocument(tx: Tx, c: StoreChange): Promise<StoreDocumentWrite> {
  await lockRow(tx, schema.stores, c.storeId);
  const row = await firstRow(tx.select().from(schema.stores).where(eq(schema.stores.id, c.storeId)));
  if (!row) throw new AppError('not_found', 'No such store');
  const before = readStoreDocument(row);
  const after = applyStorePatch(before, c.patch, c.message);
  const changes = describeChanges(before, after);
  refuseMisalignedSender(row.dkimDomain, after, c.message);
  const write = { before, after, changes, policyVersion: row.policyVersion, storeCreatedAt: row.createdAt };
  if (changes.length === 0) return write;
  await tx
    .update(schema.stores)
    .set({
      branding: after.branding,
      // Keys this build does not know (a newer instance's) are kept as they were.
      settings: {
        ...row.settings,
        ...settingsFromPolicies(after.policies, after.returnAddress),
        defaultLanguage: after.defaultLanguage,
        copy: after.copy,
        notifications: after.notifications,
        customers: after.customers,
      },
      updatedAt: c.now,
    })
    .where(eq(schema.stores.id, c.storeId));
  return write;
}

/**
 * Refuses a patch that sets the logo to a link: a picture elsewhere would send shoppers' browsers
 * to a host the portal does not control, unchecked. It comes only as checked bytes (the branding
 * page's upload, `PUT /api/v1/store/logo`); a patch may keep it or remove it (null).
 */
export async function refuseLinkedLogo(c: StoreChange): Promise<void> {
  const logo = logoInPatch(c.patch);
  if (logo !== undefined && logo !== null) {
    const current = await getStoreDocument(c.storeId);
    if (logo !== current?.document.branding.logoUrl) {
      throw new AppError('invalid', c.message ?? 'Nothing was saved', [
        {
          pointer: '/branding/logoUrl',
          detail:
            'upload the logo itself with PUT /api/v1/store/logo (PNG, JPEG or WebP up to 1 MB); links to pictures elsewhere are not used',
        },
      ]);
    }
  }
}

function logoInPatch(patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || !Object.hasOwn(patch, 'branding')) return undefined;
  const branding = (patch as { branding: unknown }).branding;
  if (typeof branding !== 'object' || branding === null || !Object.hasOwn(branding, 'logoUrl')) return undefined;
  return (branding as { logoUrl: unknown }).logoUrl;
}

/** Refuses a sender address the store's DKIM domain does not cover: every email would fail DMARC. */
function refuseMisalignedSender(dkimDomain: string | null, after: StoreDocument, message = 'Nothing was saved'): void {
  const from = fromAddress(after.notifications);
  if (dkimDomain && !dkimAligned(dkimDomain, from))
    throw new AppError('invalid', message, [
      {
        pointer: '/notifications/senderAddress',
        detail: `emails are DKIM-signed for ${dkimDomain}: the sender address must be at ${dkimDomain} or a subdomain of it (or remove the DKIM key first)`,
      },
    ]);
}
