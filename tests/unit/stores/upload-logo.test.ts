// Logo uploads are judged by their bytes alone: real PNG, JPEG and WebP files pass; anything that
// is, hides or trails something else does not.
import { beforeEach, describe, expect, it } from 'vitest';
import { transaction } from '../../../src/server/db.ts';
import { AppError } from '../../../src/server/errors.ts';
import { getStoreAsset } from '../../../src/server/stores/get-store-asset.ts';
import { inspectImage } from '../../../src/server/stores/inspect-image.ts';
import { checkLogo, insertLogoAsset, MAX_LOGO_BYTES } from '../../../src/server/stores/upload-logo.ts';
import { makeStore } from '../../fixtures/factories.ts';
import { JPEG_2X2, makePng, pngOfSize, WEBP_2X2 } from '../../fixtures/images.ts';
import { freshDatabase } from '../../support/database.ts';

const SVG = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);
const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/admin")</script></body></html>');
const withByte = (b: Buffer, at: number, value: number) => {
  const copy = Buffer.from(b);
  copy[at] = value;
  return copy;
};

function refusal(bytes: Uint8Array): string {
  try {
    checkLogo(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.kind).toBe('invalid');
    expect(e.errors).toHaveLength(1);
    expect(e.errors[0]!.pointer).toBe('/branding/logo');
    return e.errors[0]!.detail;
  }
  throw new Error('the file was accepted');
}

describe('checkLogo', () => {
  it.each([
    ['a PNG', makePng(2, 2), 'image/png'],
    ['a JPEG', JPEG_2X2, 'image/jpeg'],
    ['a WebP', WEBP_2X2, 'image/webp'],
    ['a PNG of exactly 1 MB', pngOfSize(MAX_LOGO_BYTES), 'image/png'],
    [
      'a PNG with script text inside a text chunk (served only ever as image/png)',
      makePng(2, 2, [{ type: 'tEXt', data: Buffer.from('Comment\0<script>alert(1)</script>') }]),
      'image/png',
    ],
  ])('accepts %s', (_label, bytes, type) => {
    const logo = checkLogo(bytes);
    expect(logo.type).toBe(type);
    expect([logo.width, logo.height]).toEqual([2, 2]);
  });

  it.each([
    [
      'a PNG with a <script> appended',
      Buffer.concat([makePng(), Buffer.from('<script>alert(document.cookie)</script>')]),
      /extra data after the image/,
    ],
    ['a JPEG with HTML appended', Buffer.concat([JPEG_2X2, HTML]), /extra data after the image/],
    ['a WebP with bytes appended', Buffer.concat([WEBP_2X2, Buffer.from('<script>')]), /extra data after the image/],
    ['an SVG', SVG, /SVG files are not accepted/],
    ['an SVG without the XML prolog', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /SVG files are not accepted/],
    ['an HTML page', HTML, /not a PNG, JPEG or WebP/],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), /not a PNG, JPEG or WebP/],
    ['1 MB and 1 byte', pngOfSize(MAX_LOGO_BYTES + 1), /1 MB or smaller/],
    ['an empty file', Buffer.alloc(0), /empty/],
    ['a PNG cut short', makePng().subarray(0, 40), /cut short/],
    ['a PNG whose header was tampered with', withByte(makePng(), 17, 0x09), /checksum/],
    ['a PNG signature followed by HTML', Buffer.concat([makePng().subarray(0, 8), HTML]), /PNG/],
    ['a JPEG cut short', JPEG_2X2.subarray(0, JPEG_2X2.length - 10), /cut short/],
    ['a WebP cut short', WEBP_2X2.subarray(0, WEBP_2X2.length - 4), /cut short/],
    ['a PNG 5000 pixels wide', makePng(5000, 1), /at most 4096 pixels/],
  ])('refuses %s', (_label, bytes, message) => {
    expect(refusal(bytes)).toMatch(message);
  });

  it('looks only at the bytes: a renamed SVG is still an SVG (the name and claimed type are never passed in)', () => {
    // checkLogo takes bytes alone; the form path is covered in update-branding.test.ts.
    expect(inspectImage(SVG)).toEqual({ error: expect.stringMatching(/SVG/) });
  });
});

describe('insertLogoAsset and getStoreAsset', () => {
  beforeEach(async () => {
    await freshDatabase();
  });

  it('stores the logo under a content-hashed name and serves it back with its checked type', async () => {
    const { store } = await makeStore();
    const png = makePng(3, 3);
    const url = await transaction((tx) => insertLogoAsset(tx, store.id, checkLogo(png), 1));
    expect(url).toMatch(/^\/assets\/[0-9a-f]{32}\.png$/);
    const asset = await getStoreAsset(url.slice('/assets/'.length));
    expect(asset?.contentType).toBe('image/png');
    expect(Buffer.compare(asset!.bytes, png)).toBe(0);
    // The same file again is the same URL (and row); another picture is another URL.
    expect(await transaction((tx) => insertLogoAsset(tx, store.id, checkLogo(png), 2))).toBe(url);
    expect(await transaction((tx) => insertLogoAsset(tx, store.id, checkLogo(makePng(4, 4)), 3))).not.toBe(url);
    // Another store uploading the very same file gets its own asset.
    const other = (await makeStore()).store;
    expect(await transaction((tx) => insertLogoAsset(tx, other.id, checkLogo(png), 4))).not.toBe(url);
  });

  it('finds nothing for a wrong extension or a name that is not one of ours', async () => {
    const { store } = await makeStore();
    const url = await transaction((tx) => insertLogoAsset(tx, store.id, checkLogo(JPEG_2X2), 1));
    const id = url.slice('/assets/'.length, -'.jpg'.length);
    expect(await getStoreAsset(`${id}.jpg`)).not.toBeNull();
    expect(await getStoreAsset(`${id}.png`)).toBeNull();
    expect(await getStoreAsset(`${id}.svg`)).toBeNull();
    expect(await getStoreAsset(`../${id}.jpg`)).toBeNull();
  });
});
