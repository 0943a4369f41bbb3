// GET /api/v1/customers/{email}: everything the store holds about that shopper (a data-access
// request). DELETE: erase it (an erasure request): personal data goes, counts stay; audited.
import { z } from 'zod';
import { eraseCustomer } from '../../../../server/customers/erase-customer.ts';
import { exportCustomer } from '../../../../server/customers/export-customer.ts';
import { apiActor, apiRoute, json } from '../../../../server/http/api-route.ts';
import { problem } from '../../../../server/http/problem.ts';

const EmailSchema = z.email().max(254);

function emailOf(param: string | undefined): string | null {
  let text = param ?? '';
  try {
    text = decodeURIComponent(text);
  } catch {
    return null;
  }
  const parsed = EmailSchema.safeParse(text.trim());
  return parsed.success ? parsed.data : null;
}

const NOT_AN_EMAIL = 'Name the customer by email address: /api/v1/customers/{email}.';
const NO_ORDERS = 'This store has no order from that email address.';

export const GET = apiRoute(async ({ ctx, store }) => {
  const email = emailOf(ctx.params.email);
  if (!email) return problem(400, NOT_AN_EMAIL);
  const found = await exportCustomer(store.id, email);
  return found ? json(found) : problem(404, NO_ORDERS);
});

export const DELETE = apiRoute(async ({ ctx, store }) => {
  const email = emailOf(ctx.params.email);
  if (!email) return problem(400, NOT_AN_EMAIL);
  const r = await eraseCustomer({ storeId: store.id, email, actor: apiActor(ctx), now: Date.now() });
  return r.orders ? json({ erased: true, orders: r.orders }) : problem(404, NO_ORDERS);
});
