// Reading a request body at the edge, whatever a client sends: a body that is not what the route
// takes, or is cut off, or is larger than the limit, becomes an expected failure (a 4xx), never a 500.
import { AppError } from '../errors.ts';

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The posted form. A body that is not a form (JSON, text, XML, a broken multipart body, none at all)
 * reads as an empty form, so the route's own field checks say what is missing; a body over the size
 * limit is a 'too_large' AppError (413).
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPES.test(request.headers.get('content-type') ?? '')) return new FormData();
  try {
    return await request.formData();
  } catch (err) {
    if (isBodyTooLarge(err)) throw tooLarge();
    return new FormData();
  }
}

/** The body as text; a 'too_large' AppError (413) past `maxBytes` or the server's own limit. */
export async function readText(request: Request, maxBytes: number): Promise<string> {
  let text: string;
  try {
    text = await request.text();
  } catch (err) {
    if (isBodyTooLarge(err)) throw tooLarge();
    throw new AppError('invalid', 'The request body could not be read.');
  }
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
  return text;
}

/** The body's bytes; a 'too_large' AppError (413) past `maxBytes` or the server's own limit. */
export async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await request.arrayBuffer());
  } catch (err) {
    if (isBodyTooLarge(err)) throw tooLarge();
    throw new AppError('invalid', 'The request body could not be read.');
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return bytes;
}

function tooLarge(maxBytes?: number): AppError {
  const limit = maxBytes === undefined ? '' : ` (at most ${Math.round(maxBytes / 1024)} KB)`;
  return new AppError('too_large', `The request body is larger than this address accepts${limit}.`);
}

/** The Node adapter's size limit (astro.config.mjs) surfaces as a plain Error, sometimes wrapped by the body reader. */
function isBodyTooLarge(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/body size limit exceeded/i.test(e.message)) return true;
  }
  return false;
}
