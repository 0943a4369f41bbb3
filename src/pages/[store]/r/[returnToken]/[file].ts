// GET /{slug}/r/{returnToken}/label.pdf | label.png | qr.png: the label files, fetched from the
// carrier's URLs we stored (never a URL from the request) and served from our own origin as a
// download that works on a phone.
import type { APIRoute } from 'astro';

const FILES = {
  'label.pdf': { column: 'labelPdfUrl', type: 'application/pdf', disposition: 'attachment' },
  'label.png': { column: 'labelPngUrl', type: 'image/png', disposition: 'attachment' },
  'qr.png': { column: 'qrCodeUrl', type: 'image/png', disposition: 'inline' },
} as const;

export const GET: APIRoute = async ({ params, locals }) => {
  const file = FILES[params.file as keyof typeof FILES];
  const ret = file ? locals.return : null;
  const url = ret && ret.labelState === 'bought' ? ret[file!.column] : null;
  if (!url) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  let upstream: Response;
  try {
    upstream = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    return new Response('The carrier did not answer. Please try again in a moment.', {
      status: 502,
      headers: { 'content-type': 'text/plain' },
    });
  }
  if (!upstream.ok)
    return new Response('The carrier could not give the label right now.', { status: 502, headers: { 'content-type': 'text/plain' } });
  const name = `return-${ret!.trackingCode ?? 'label'}-${params.file}`;
  return new Response(await upstream.arrayBuffer(), {
    headers: {
      'content-type': file!.type,
      'content-disposition': `${file!.disposition}; filename="${name.replace(/[^A-Za-z0-9._-]/g, '')}"`,
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
  });
};
