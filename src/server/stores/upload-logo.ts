// A store's logo: checked by its content (see inspect-image.ts), kept in the database and
// re-served from our own origin (src/pages/assets/[id].ts), never from where it was uploaded.
import { createHash } from 'node:crypto';
import { schema, type Tx } from '../db.ts';
import { AppError } from '../errors.ts';
import { inspectImage, type ImageInfo } from './inspect-image.ts';

export const MAX_LOGO_BYTES = 1024 * 1024;
/** Larger pictures only cost shoppers' phones memory: a logo shows at most 10rem wide. */
const MAX_LOGO_SIDE = 4096;
const EXTENSION: Record<ImageInfo['type'], string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const LOGO_POINTER = '/branding/logo';

export interface CheckedLogo extends ImageInfo {
  bytes: Buffer;
}

/** The logo's type and size when these bytes are an acceptable logo; else an 'invalid' AppError on /branding/logo. */
export function checkLogo(bytes: Uint8Array): CheckedLogo {
  const refuse = (detail: string): never => {
    throw new AppError('invalid', 'The logo was not accepted', [{ pointer: LOGO_POINTER, detail }]);
  };
  if (bytes.byteLength === 0) refuse('This file is empty.');
  if (bytes.byteLength > MAX_LOGO_BYTES) refuse('The logo must be 1 MB or smaller.');
  const info = inspectImage(bytes);
  if ('error' in info) return refuse(info.error);
  if (info.width < 1 || info.height < 1) refuse('This image has no pixels.');
  if (info.width > MAX_LOGO_SIDE || info.height > MAX_LOGO_SIDE) refuse(`The logo may be at most ${MAX_LOGO_SIDE} pixels on each side.`);
  return { ...info, bytes: Buffer.from(bytes) };
}

/**
 * Stores a checked logo and returns its URL. The id is a hash of the store and the content, so the
 * URL changes whenever the picture does and can be cached for a year; the same file again reuses its row.
 */
export async function insertLogoAsset(tx: Tx, storeId: string, logo: CheckedLogo, now: number): Promise<string> {
  const sha256 = createHash('sha256').update(logo.bytes).digest('hex');
  const id = createHash('sha256').update(`${storeId}:${sha256}`).digest('hex').slice(0, 32);
  await tx
    .insert(schema.storeAssets)
    .values({ id, storeId, contentType: logo.type, bytes: logo.bytes, sha256, createdAt: now })
    .onConflictDoNothing();
  return `/assets/${id}.${EXTENSION[logo.type]}`;
}

/** The logo as a data: URL, for a preview that must not store anything. */
export function logoDataUrl(logo: CheckedLogo): string {
  return `data:${logo.type};base64,${logo.bytes.toString('base64')}`;
}
