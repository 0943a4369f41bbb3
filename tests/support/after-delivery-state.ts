// Puts a demo order's after-delivery part back as it was delivered: the demo's products as seeded
// (another spec may have put them without their care guides or warranties), no check-in answer, no
// product registered, no open case (another spec's low-rating case or claim would rightly hold the
// check-in back), so each spec that looks at the card and the registration sees them unanswered.
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { db, firstRow, schema, transaction } from '../../src/server/db.ts';
import { systemClock } from '../../src/server/clock.ts';
import { seedCatalogue } from '../../src/server/demo/seed-demo.ts';
import { recordPageChange } from '../../src/server/pagecache/record-change.ts';

/** Resets order `number`'s check-ins, registrations and cases; resolves once the server has seen it. */
export async function asDelivered(number: string) {
  const order = (await firstRow(db().select().from(schema.orders).where(eq(schema.orders.number, number))))!;
  await seedCatalogue({ id: order.storeId }, systemClock);
  await transaction(async (tx) => {
    await tx.delete(schema.checkins).where(eq(schema.checkins.orderId, order.id));
    await tx.delete(schema.cases).where(and(eq(schema.cases.orderId, order.id), isNotNull(schema.cases.registrationId)));
    await tx.delete(schema.registrations).where(eq(schema.registrations.orderId, order.id));
    await tx
      .update(schema.cases)
      .set({ status: 'resolved', resolvedAt: Date.now(), updatedAt: Date.now() })
      .where(and(eq(schema.cases.orderId, order.id), ne(schema.cases.status, 'resolved')));
    await recordPageChange(tx, order.storeId, order.id, Date.now());
  });
  await new Promise((r) => setTimeout(r, 500)); // the server reads the change feed every 150 ms
  return order;
}
