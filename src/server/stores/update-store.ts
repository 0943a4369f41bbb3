// Changing a store's settings document (branding, policies, return address): the one write path
// behind the branding page, the policies page and PATCH /api/v1/store. Validated as a whole,
// audited field by field, a new policy version when a policy changed, and shopper pages dropped
// from every cache at once.
import { eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '../audit/record-audit.ts';
import { firstRow, lockRow, schema, transaction, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import { settingsFromPolicies, type PolicySnapshot } from '../policies/policies.ts';
import { recordPolicyVersion } from '../policies/record-policy-version.ts';
import { describeChanges, type FieldChange } from './describe-changes.ts';
import { getStoreDocument } from './get-store-document.ts';
import { applyStorePatch } from './merge-store-patch.ts';
import { readStoreDocument, type StoreDocument } from './store-document.ts';

export interface StoreChange {
  storeId: string;
  /** A JSON Merge Patch of the store document ({branding, policies, returnAddress}). */
  patch: unknown;
  actor: Actor;
  now: number;
  /** The words of a refusal ("The branding was not saved"). */
  message?: string;
}

export interface StoreChangeResult {
  document: StoreDocument;
  policyVersion: number;
  /** Empty when the patch changed nothing (then nothing was written). */
  changes: FieldChange[];
}

const snapshot = (d: StoreDocument): PolicySnapshot => ({ ...d.policies, returnAddress: d.returnAddress });

/** Applies a change inside the caller's transaction; throws an 'invalid' AppError (nothing written) when it is refused. */
export async function applyStoreChange(tx: Tx, c: StoreChange): Promise<StoreChangeResult> {
  await lockRow(tx, schema.stores, c.storeId);
  const row = await firstRow(tx.select().from(schema.stores).where(eq(schema.stores.id, c.storeId)));
  if (!row) throw new AppError('not_found', 'No such store');
  const before = readStoreDocument(row);
  const after = applyStorePatch(before, c.patch, c.message);
  const changes = describeChanges(before, after);
  if (changes.length === 0) return { document: after, policyVersion: row.policyVersion, changes };

  const branding = changes.filter((ch) => ch.field.startsWith('branding.'));
  const policies = changes.filter((ch) => !ch.field.startsWith('branding.'));
  let policyVersion = row.policyVersion;
  if (policies.length) {
    policyVersion = await recordPolicyVersion(tx, {
      storeId: c.storeId,
      inForce: row.policyVersion,
      inForceSince: row.createdAt,
      before: snapshot(before),
      after: snapshot(after),
      createdBy: c.actor.label,
      now: c.now,
    });
  }
  await tx
    .update(schema.stores)
    .set({
      branding: after.branding,
      // Keys this build does not know (a newer instance's) are kept as they were.
      settings: { ...row.settings, ...settingsFromPolicies(after.policies, after.returnAddress) },
      updatedAt: c.now,
    })
    .where(eq(schema.stores.id, c.storeId));
  if (branding.length)
    await recordAudit(tx, { storeId: c.storeId, actor: c.actor, action: 'branding.updated', detail: { changes: branding }, now: c.now });
  if (policies.length)
    await recordAudit(tx, {
      storeId: c.storeId,
      actor: c.actor,
      action: 'policies.updated',
      detail: { version: policyVersion, changes: policies },
      now: c.now,
    });
  // Branding frames every shopper page and the delay rules move estimates: drop them store-wide.
  await recordPageChange(tx, c.storeId, null, c.now);
  return { document: after, policyVersion, changes };
}

/**
 * Applies a change to the store document in its own transaction (API and policies page). The logo
 * is not set here: a link to a picture elsewhere would send shoppers' browsers to a host the portal
 * does not control, unchecked. It comes only as checked bytes (the branding page's upload,
 * `PUT /api/v1/store/logo`); a patch may keep it or remove it (null).
 */
export async function updateStore(c: StoreChange): Promise<StoreChangeResult> {
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
  return transaction((tx) => applyStoreChange(tx, c));
}

function logoInPatch(patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || !Object.hasOwn(patch, 'branding')) return undefined;
  const branding = (patch as { branding: unknown }).branding;
  if (typeof branding !== 'object' || branding === null || !Object.hasOwn(branding, 'logoUrl')) return undefined;
  return (branding as { logoUrl: unknown }).logoUrl;
}
