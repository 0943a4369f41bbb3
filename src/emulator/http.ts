// Small HTTP helpers over node:http.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toEasyPostJson } from './json.ts';
import { badRequest } from './errors.ts';

/** The API key from EasyPost's HTTP Basic auth (key as user name, empty password); '' when absent. */
export function apiKeyOf(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(0, colon) : decoded;
  }
  // EasyPost also takes "Bearer <key>"; accepting it costs nothing.
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  return bearer?.[1]?.trim() ?? '';
}

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The JSON body as an object ({} when empty); a 400 EasyPost error when it is not JSON. */
export function parseJsonBody(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

/** Sends a JSON answer in EasyPost's wire format. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', toEasyPostJson(value));
}

/** Sends any body. */
export function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}
