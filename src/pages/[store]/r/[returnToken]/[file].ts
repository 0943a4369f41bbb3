// GET /{slug}/r/{returnToken}/label.pdf | label.png | qr.png: the label files, fetched from the
// carrier's URLs we stored (never a URL from the request) and served from our own origin as a
// download that works on a phone.
import type { APIRoute } from 'astro';
import { wordsOf } from '../../../../server/http/shopper-context.ts';
import type { MessageKey } from '../../../../i18n/catalogues.ts';

const FILES = {
  'label.pdf': { column: 'labelPdfUrl', type: 'application/pdf', disposition: 'attachment' },
  'label.png': { column: 'labelPngUrl', type: 'image/png', disposition: 'attachment' },
  'qr.png': { column: 'qrCodeUrl', type: 'image/png', disposition: 'inline' },
} as const;

export const GET: APIRoute = async ({ params, locals }) => {
  // The return's language (its order's), or the one the shopper chose: the words are theirs even in plain text.
  const { t } = wordsOf(locals);
  const plain = (status: number, key: MessageKey) =>
    new Response(t(key), { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  const file = FILES[params.file as keyof typeof FILES];
  const ret = file ? locals.return : null;
  const url = ret && ret.labelState === 'bought' ? ret[file!.column] : null;
  if (!url) return plain(404, 'label.file.notFound');
  let upstream: Response;
  try {
    upstream = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    return plain(502, 'label.file.carrierSilent');
  }
  if (!upstream.ok) return plain(502, 'label.file.carrierRefused');
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
