// One line of a return's history: what happened, who did it, under which policy version.
import { schema, type Tx } from '../db.ts';
import { newId } from '../ids.ts';

/** Appends an event to the return's timeline (inside the writer's transaction). */
export async function recordReturnEvent(
  tx: Tx,
  e: { storeId: string; returnId: string; kind: string; actor: string; policyVersion: number; note?: string | null; now: number },
): Promise<void> {
  await tx.insert(schema.returnEvents).values({
    id: newId(),
    storeId: e.storeId,
    returnId: e.returnId,
    kind: e.kind,
    actor: e.actor,
    policyVersion: e.policyVersion,
    note: e.note ?? null,
    at: e.now,
  });
}
