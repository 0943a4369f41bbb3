// GET /admin/registrations.csv: every registration of the store (or of ?product=) as CSV.
import type { APIRoute } from 'astro';
import { exportRegistrationsCsv } from '../../server/registrations/registrations-csv.ts';

export const GET: APIRoute = async (ctx) => {
  const user = ctx.locals.user!;
  const product = ctx.url.searchParams.get('product')?.trim().slice(0, 200) || undefined;
  const body = await exportRegistrationsCsv({ storeId: user.storeId, product });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="registrations.csv"',
      'cache-control': 'no-store',
    },
  });
};
