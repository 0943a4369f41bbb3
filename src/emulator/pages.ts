// Routes outside the API that need no key: label files (EasyPost serves them from S3) and the public
// tracking page that public_url points at.
import type { ServerResponse } from 'node:http';
import type { AppContext } from './router.ts';
import { send, sendJson } from './http.ts';
import { labelEpl2, labelPdf, labelPng, labelZpl, LABEL_TYPES } from './labels.ts';
import { trackerIdFromToken } from './tracker-json.ts';
import { isoSeconds } from './clock.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Serves a public page when `path` is one; returns false when it is not (so the API handles it). */
export function servePublic(ctx: AppContext, method: string, path: string, res: ServerResponse): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/' || path === '/health') {
    sendJson(res, 200, { ok: true, emulator: 'easypost', mode: ctx.mode });
    return true;
  }
  const label = /^\/labels\/(pl_[0-9a-f]+)\.(png|pdf|zpl|epl2)$/.exec(path);
  if (label) {
    const found = ctx.shipments.findLabel(label[1]!);
    const ext = label[2]!;
    if (!found) send(res, 404, 'text/plain', 'label not found\n');
    else {
      const body =
        ext === 'png'
          ? labelPng()
          : ext === 'pdf'
            ? labelPdf(found.trackingCode)
            : ext === 'zpl'
              ? labelZpl(found.trackingCode)
              : labelEpl2(found.trackingCode);
      send(res, 200, LABEL_TYPES[ext] ?? 'application/octet-stream', body);
    }
    return true;
  }
  const form = /^\/forms\/(form_[0-9a-f]+)\.png$/.exec(path);
  if (form) {
    if (ctx.shipments.hasForm(form[1]!)) send(res, 200, 'image/png', labelPng());
    else send(res, 404, 'text/plain', 'form not found\n');
    return true;
  }
  const track = /^\/track\/([A-Za-z0-9_-]+)$/.exec(path);
  if (track) {
    const id = trackerIdFromToken(track[1]!);
    const t = id ? ctx.trackers.peek(id) : undefined;
    if (!t) {
      send(res, 404, 'text/html; charset=utf-8', '<!doctype html><title>Not found</title><p>Unknown tracking link.</p>\n');
      return true;
    }
    const rows = [...t.details]
      .reverse()
      .map(
        (d) => `<li>${escapeHtml(isoSeconds(d.at))} — ${escapeHtml(d.message)}${d.place.city ? ` (${escapeHtml(d.place.city)})` : ''}</li>`,
      )
      .join('');
    const html = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(t.trackingCode)}</title><h1>${escapeHtml(t.carrier)} ${escapeHtml(t.trackingCode)}</h1><p>Status: ${escapeHtml(t.status)}</p><ol>${rows}</ol>\n`;
    send(res, 200, 'text/html; charset=utf-8', html);
    return true;
  }
  return false;
}
