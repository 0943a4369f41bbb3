// Reading policy versions: the one in force now, any given one, and the recent history.
import { and, desc, eq } from 'drizzle-orm';
import { db, firstRow, schema } from '../db.ts';
import { readSettings } from '../stores/settings.ts';
import { policiesFromSettings, type PolicySnapshot } from './policies.ts';
import { readPolicySnapshot } from './read-policy-snapshot.ts';

export interface PolicyVersion {
  version: number;
  policies: PolicySnapshot;
  createdBy: string;
  createdAt: number;
}

/** The store's policies in force now and their version number, or null for an unknown store. */
export async function getPolicyInForce(storeId: string): Promise<{ version: number; policies: PolicySnapshot } | null> {
  const row = await firstRow(
    db()
      .select({ version: schema.stores.policyVersion, settings: schema.stores.settings })
      .from(schema.stores)
      .where(eq(schema.stores.id, storeId)),
  );
  if (!row) return null;
  const settings = readSettings(row.settings);
  return { version: row.version, policies: { ...policiesFromSettings(settings), returnAddress: settings.returnAddress } };
}

/** One version of the store's policies as it was recorded, or null when there is no such version. */
export async function getPolicyVersion(storeId: string, version: number): Promise<PolicyVersion | null> {
  const row = await firstRow(
    db()
      .select()
      .from(schema.policyVersions)
      .where(and(eq(schema.policyVersions.storeId, storeId), eq(schema.policyVersions.version, version))),
  );
  if (row) return { version: row.version, policies: readPolicySnapshot(row.policies), createdBy: row.createdBy, createdAt: row.createdAt };
  // The first version has no row until it is first replaced: it is what is in force.
  const store = await firstRow(
    db()
      .select({ version: schema.stores.policyVersion, createdAt: schema.stores.createdAt })
      .from(schema.stores)
      .where(eq(schema.stores.id, storeId)),
  );
  if (!store || store.version !== version) return null;
  const inForce = await getPolicyInForce(storeId);
  return inForce && { version, policies: inForce.policies, createdBy: 'store created', createdAt: store.createdAt };
}

/** The store's most recent versions, newest first (without their policies). */
export async function listPolicyVersions(storeId: string, limit = 10): Promise<Omit<PolicyVersion, 'policies'>[]> {
  return await db()
    .select({
      version: schema.policyVersions.version,
      createdBy: schema.policyVersions.createdBy,
      createdAt: schema.policyVersions.createdAt,
    })
    .from(schema.policyVersions)
    .where(eq(schema.policyVersions.storeId, storeId))
    .orderBy(desc(schema.policyVersions.version))
    .limit(limit);
}
