// GET /admin/customers/data.json?email=: everything the store holds about one customer, as a download.
import type { APIRoute } from 'astro';
import { exportCustomer } from '../../../server/customers/export-customer.ts';

export const GET: APIRoute = async (ctx) => {
  const user = ctx.locals.user!;
  const email = (ctx.url.searchParams.get('email') ?? '').slice(0, 254);
  const body = email ? await exportCustomer(user.storeId, email) : null;
  if (!body)
    return new Response('This store has no order from that address.', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="customer.json"',
      'cache-control': 'no-store',
    },
  });
};
