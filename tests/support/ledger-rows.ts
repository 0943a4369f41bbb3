// A message written straight into the ledger (the analytics tests' hand-made rows): one per call,
// its own dedupe key, queued and last changed at `at`.
import { schema, transaction } from '../../src/server/db.ts';

let n = 0;

/** Inserts one ledger row; resolves to its id. */
export async function ledgerMessage(storeId: string, orderId: string, channel: string, kind: string, status: string, at: string) {
  const id = `msg_${process.pid}_${++n}`;
  const t = Date.parse(at);
  await transaction((tx) =>
    tx.insert(schema.messages).values({
      id,
      storeId,
      orderId,
      kind,
      channel,
      recipient: 'sam@example.com',
      language: 'en',
      messageClass: 'service',
      dedupeKey: id,
      status,
      createdAt: t,
      updatedAt: t,
    }),
  );
  return id;
}
