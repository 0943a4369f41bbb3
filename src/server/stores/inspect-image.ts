// What an uploaded image really is, from its bytes alone (never its name or claimed type). A file
// passes only when its whole structure is a PNG, JPEG or WebP from the first byte to the last: a
// renamed SVG or HTML page fails the signature, and bytes appended after the image's end (a
// <script>, a second file) fail the end check. Nothing is decoded beyond the headers.
import { crc32 } from 'node:zlib';

type ImageType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface ImageInfo {
  type: ImageType;
  width: number;
  height: number;
}

/** The image's type and size, or a sentence saying why these bytes are not an acceptable image. */
export function inspectImage(b: Uint8Array): ImageInfo | { error: string } {
  const bytes = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  try {
    if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return inspectPng(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return inspectJpeg(bytes);
    if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return inspectWebp(bytes);
  } catch (err) {
    if (err instanceof Malformed) return { error: err.message };
    throw err;
  }
  const head = bytes.toString('utf8', 0, 512).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')))
    return { error: 'SVG files are not accepted (they can carry scripts). Export the logo as PNG or WebP.' };
  return { error: 'This file is not a PNG, JPEG or WebP image.' };
}

class Malformed extends Error {}
const fail = (what: string): never => {
  throw new Malformed(what);
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Walks every chunk, checking each CRC; IHDR first, IEND last, nothing after it. */
function inspectPng(b: Buffer): ImageInfo {
  let at = 8;
  let width = 0;
  let height = 0;
  for (let n = 0; ; n++) {
    if (at + 12 > b.length) fail('This PNG is cut short.');
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > b.length) fail('This PNG is cut short.');
    if (crc32(b.subarray(at + 4, at + 8 + length)) !== b.readUInt32BE(at + 8 + length))
      fail('This PNG is damaged (a checksum does not match).');
    if (n === 0) {
      if (type !== 'IHDR' || length !== 13) fail('This PNG has no valid header.');
      width = b.readUInt32BE(at + 8);
      height = b.readUInt32BE(at + 12);
    }
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (at !== b.length) fail('This PNG has extra data after the image. Export it again from your design tool.');
  return { type: 'image/png', width, height };
}

/** Walks the segments to the frame header (size) and on to the end-of-image marker, which must be last. */
function inspectJpeg(b: Buffer): ImageInfo {
  let at = 2;
  let width = 0;
  let height = 0;
  while (at < b.length) {
    if (b[at] !== 0xff) fail('This JPEG is damaged.');
    const marker = b[at + 1] ?? fail('This JPEG is cut short.');
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      if (at + 2 !== b.length) fail('This JPEG has extra data after the image. Export it again from your design tool.');
      if (!width || !height) fail('This JPEG has no frame header.');
      return { type: 'image/jpeg', width, height };
    }
    if (marker >= 0xd0 && marker <= 0xd7) {
      at += 2;
      continue;
    }
    if (at + 4 > b.length) fail('This JPEG is cut short.');
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length) fail('This JPEG is cut short.');
    // Start-of-frame markers (not DHT C4, JPG C8, DAC CC) carry the picture's size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (length < 8) fail('This JPEG has no valid frame header.');
      height = b.readUInt16BE(at + 5);
      width = b.readUInt16BE(at + 7);
    }
    at += 2 + length;
    // After a start-of-scan header comes entropy-coded data: skip to the next real marker.
    if (marker === 0xda) {
      while (at + 1 < b.length && !(b[at] === 0xff && b[at + 1] !== 0x00 && !(b[at + 1]! >= 0xd0 && b[at + 1]! <= 0xd7))) at++;
      if (at + 1 >= b.length) fail('This JPEG is cut short.');
    }
  }
  return fail('This JPEG is cut short.');
}

/** The RIFF container must be exactly the file; the first chunk (VP8, VP8L or VP8X) gives the size. */
function inspectWebp(b: Buffer): ImageInfo {
  const riffSize = b.readUInt32LE(4);
  if (riffSize + 8 !== b.length) fail('This WebP file has extra data after the image, or is cut short.');
  if (b.length < 30) fail('This WebP file is cut short.');
  const chunk = b.toString('latin1', 12, 16);
  const d = 20; // the first chunk's data
  let width: number;
  let height: number;
  if (chunk === 'VP8 ') {
    if (b[d + 3] !== 0x9d || b[d + 4] !== 0x01 || b[d + 5] !== 0x2a) fail('This WebP file is damaged.');
    width = b.readUInt16LE(d + 6) & 0x3fff;
    height = b.readUInt16LE(d + 8) & 0x3fff;
  } else if (chunk === 'VP8L') {
    if (b[d] !== 0x2f) fail('This WebP file is damaged.');
    const bits = b.readUInt32LE(d + 1);
    width = (bits & 0x3fff) + 1;
    height = ((bits >> 14) & 0x3fff) + 1;
  } else if (chunk === 'VP8X') {
    width = b.readUIntLE(d + 4, 3) + 1;
    height = b.readUIntLE(d + 7, 3) + 1;
  } else return fail('This WebP file is damaged.');
  // Every chunk must fit the container exactly.
  for (let at = 12; at < b.length;) {
    if (at + 8 > b.length) fail('This WebP file is damaged.');
    const size = b.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
    if (at > b.length) fail('This WebP file is cut short.');
  }
  return { type: 'image/webp', width, height };
}
