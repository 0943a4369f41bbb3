// GET /api/v1/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD[&carrier=&service=&country=]: the store's
// analytics with the formula beside every figure and the previous period beside it;
// `&format=csv&table=<id>` exports one of the report's tables as CSV.
import { getAnalytics } from '../../../server/analytics/get-analytics.ts';
import { readAnalyticsQuery } from '../../../server/analytics/analytics-query.ts';
import { exportAnalyticsTable } from '../../../server/analytics/analytics-tables.ts';
import { apiRoute, json } from '../../../server/http/api-route.ts';

export const GET = apiRoute(async ({ ctx, store }) => {
  const params = ctx.url.searchParams;
  const query = readAnalyticsQuery(params, { now: Date.now(), timeZone: store.settings.timeZone });
  const report = await getAnalytics({ store, query });
  if (params.get('format') === 'csv') {
    const { filename, csv } = exportAnalyticsTable(report, params.get('table'));
    return new Response(csv, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      },
    });
  }
  return json(report);
});
