// GET /{slug}/returns-policy.json[?sku=&category=&currency=]: the store's return policy as
// schema.org MerchantReturnPolicy JSON-LD, public (a product page embeds it). With a product's SKU
// and category, a final-sale product answers MerchantReturnNotPermitted.
import type { APIRoute } from 'astro';
import { config } from '../../server/config.ts';
import { isCurrency } from '../../lib/money.ts';
import { returnPolicyJsonLd } from '../../server/returns/return-policy-jsonld.ts';

export const GET: APIRoute = async ({ locals, url }) => {
  const store = locals.store;
  if (!store) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  const q = url.searchParams;
  const currency = (q.get('currency') ?? 'USD').toUpperCase();
  const sku = q.get('sku')?.slice(0, 100);
  const body = returnPolicyJsonLd({
    policy: store.settings.returns,
    returnAddress: store.settings.returnAddress,
    currency: isCurrency(currency) ? currency : 'USD',
    lookupUrl: `${config().publicUrl}/${store.slug}`,
    product: sku ? { sku, category: q.get('category')?.slice(0, 100) ?? null } : undefined,
  });
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'content-type': 'application/ld+json; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'access-control-allow-origin': '*',
    },
  });
};
