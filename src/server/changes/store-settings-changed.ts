// Store settings changed (the branding page, the policies page, PATCH /api/v1/store, the logo
// upload): the document is validated and written by stores/; every consequence is listed below,
// in the same transaction.
import { recordAudit } from '../audit/record-audit.ts';
import { transaction, type Tx } from '../db.ts';
import { recordPageChange } from '../pagecache/record-change.ts';
import type { PolicySnapshot } from '../policies/policies.ts';
import { recordPolicyVersion } from '../policies/record-policy-version.ts';
import type { StoreDocument } from '../stores/store-document.ts';
import type { FieldChange } from '../stores/describe-changes.ts';
import { prepareBrandingChange, storeBrandingLogo, type BrandingUpdate } from '../stores/update-branding.ts';
import { refuseLinkedLogo, writeStoreDocument, type StoreChange } from '../stores/update-store.ts';

export interface StoreChangeResult {
  document: StoreDocument;
  policyVersion: number;
  /** Empty when the patch changed nothing (then nothing was written). */
  changes: FieldChange[];
}

/** Applies a change to the store document in its own transaction (API and policies page). The logo is not set here (refuseLinkedLogo). */
export async function updateStore(c: StoreChange): Promise<StoreChangeResult> {
  await refuseLinkedLogo(c);
  return transaction((tx) => changeStoreSettings(tx, c));
}

/** Saves the branding (and logo); throws an 'invalid' AppError listing every bad field, nothing saved. */
export async function updateBranding(u: BrandingUpdate): Promise<StoreChangeResult> {
  const b = await prepareBrandingChange(u);
  return transaction(async (tx) => changeStoreSettings(tx, await storeBrandingLogo(tx, u, b)));
}

const snapshot = (d: StoreDocument): PolicySnapshot => ({ ...d.policies, returnAddress: d.returnAddress });

async function changeStoreSettings(tx: Tx, c: StoreChange): Promise<StoreChangeResult> {
  const { storeId, actor, now } = c;
  const w = await writeStoreDocument(tx, c);
  if (w.changes.length === 0) return { document: w.after, policyVersion: w.policyVersion, changes: w.changes };
  const branding = w.changes.filter((ch) => ch.field.startsWith('branding.'));
  // The shopper's language is wording, not policy, and so are the notification settings: no policy version for either.
  const isLanguage = (field: string) => field === 'defaultLanguage' || field === 'copy' || field.startsWith('copy.');
  const languages = w.changes.filter((ch) => isLanguage(ch.field));
  const notifications = w.changes.filter((ch) => ch.field.startsWith('notifications.'));
  // Who counts as VIP sorts customers; it decides no return or review, so it is no policy either.
  const customers = w.changes.filter((ch) => ch.field.startsWith('customers.'));
  const policies = w.changes.filter(
    (ch) =>
      !ch.field.startsWith('branding.') &&
      !ch.field.startsWith('notifications.') &&
      !ch.field.startsWith('customers.') &&
      !isLanguage(ch.field),
  );
  // 1. A policy or the return address changed: a new policy version (a later return or review names it).
  let policyVersion = w.policyVersion;
  if (policies.length) {
    policyVersion = await recordPolicyVersion(tx, {
      storeId,
      inForce: w.policyVersion,
      inForceSince: w.storeCreatedAt,
      before: snapshot(w.before),
      after: snapshot(w.after),
      createdBy: actor.label,
      now,
    });
  }
  // 2. One audit entry per area: each changed field, old → new, and who.
  if (branding.length) await recordAudit(tx, { storeId, actor, action: 'branding.updated', detail: { changes: branding }, now });
  if (languages.length) await recordAudit(tx, { storeId, actor, action: 'languages.updated', detail: { changes: languages }, now });
  if (notifications.length)
    await recordAudit(tx, { storeId, actor, action: 'notifications.updated', detail: { changes: notifications }, now });
  if (customers.length) await recordAudit(tx, { storeId, actor, action: 'customers.updated', detail: { changes: customers }, now });
  if (policies.length)
    await recordAudit(tx, { storeId, actor, action: 'policies.updated', detail: { version: policyVersion, changes: policies }, now });
  // 3. Branding frames every shopper page and the delay rules move estimates: drop them store-wide.
  await recordPageChange(tx, storeId, null, now);
  return { document: w.after, policyVersion, changes: w.changes };
}
