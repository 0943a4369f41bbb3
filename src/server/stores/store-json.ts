// The store document as the merchant API answers it.
import type { StoreDocument } from './store-document.ts';

/** GET and PATCH /api/v1/store's body: the document and the policy version in force. */
export function toStoreJson(d: StoreDocument, policyVersion: number) {
  return {
    branding: d.branding,
    policies: d.policies,
    returnAddress: d.returnAddress,
    defaultLanguage: d.defaultLanguage,
    copy: d.copy,
    notifications: d.notifications,
    customers: d.customers,
    policyVersion,
  };
}
