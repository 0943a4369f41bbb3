// The case a change is about, read inside the change's transaction and only within the store.
import { and, eq } from 'drizzle-orm';
import { firstRow, lockRow, schema, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';

/** The store's case with its order number, locked for the rest of the transaction, or a not_found AppError (another store's id too). */
export async function caseForUpdate(tx: Tx, storeId: string, caseId: string) {
  await lockRow(tx, schema.cases, caseId);
  const row = await firstRow(
    tx
      .select({
        id: schema.cases.id,
        orderId: schema.cases.orderId,
        status: schema.cases.status,
        assigneeUserId: schema.cases.assigneeUserId,
        orderNumber: schema.orders.number,
      })
      .from(schema.cases)
      .innerJoin(schema.orders, eq(schema.orders.id, schema.cases.orderId))
      .where(and(eq(schema.cases.id, caseId), eq(schema.cases.storeId, storeId))),
  );
  if (!row) throw new AppError('not_found', 'No such case in this store');
  return row;
}
