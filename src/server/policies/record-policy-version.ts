// Every change to a store's policies is a new numbered version, so a later decision (a return
// approved, a fee charged) can name the policy that was in force. Runs inside the writer's transaction.
import { and, eq } from 'drizzle-orm';
import { firstRow, schema, type Tx } from '../db.ts';
import { newId } from '../ids.ts';
import type { PolicySnapshot } from './policies.ts';

export interface PolicyVersionInput {
  storeId: string;
  /** The version in force before this change (stores.policy_version). */
  inForce: number;
  /** What was in force until now, recorded as that version if it has no row yet. */
  before: PolicySnapshot;
  /** When the version in force began, if its row must be written now (the store's creation). */
  inForceSince: number;
  after: PolicySnapshot;
  createdBy: string;
  now: number;
}

/** Inserts version n+1 holding `after` (and, the first time, version n holding `before`); returns n+1. */
export async function recordPolicyVersion(tx: Tx, v: PolicyVersionInput): Promise<number> {
  const existing = await firstRow(
    tx
      .select({ id: schema.policyVersions.id })
      .from(schema.policyVersions)
      .where(and(eq(schema.policyVersions.storeId, v.storeId), eq(schema.policyVersions.version, v.inForce))),
  );
  // A store's first version (its defaults at creation) gets its row when it is first replaced.
  if (!existing) {
    await tx.insert(schema.policyVersions).values({
      id: newId(),
      storeId: v.storeId,
      version: v.inForce,
      policies: { ...v.before },
      createdBy: 'store created',
      createdAt: v.inForceSince,
    });
  }
  const version = v.inForce + 1;
  await tx
    .insert(schema.policyVersions)
    .values({ id: newId(), storeId: v.storeId, version, policies: { ...v.after }, createdBy: v.createdBy, createdAt: v.now });
  await tx.update(schema.stores).set({ policyVersion: version }).where(eq(schema.stores.id, v.storeId));
  return version;
}
