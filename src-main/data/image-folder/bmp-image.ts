import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decode } from 'bmp-ts';
import { pixelCountProblem, RefusedByHeader } from './image-file-problems.ts';

/** A BMP decoded to raw pixels sharp can take (`sharp(data, { raw })`). */
export interface RawBmp {
  data: Buffer;
  raw: { width: number; height: number; channels: 3 | 4 };
}

/** 'BM', then the pixel-data offset inside the file: enough to tell a BMP from other bytes. */
export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 54 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

/**
 * Decodes a BMP (1/4/8-bit palette, 16/24/32-bit, RLE, bit fields) with bmp-ts, since the
 * bundled sharp has no BMP reader. The size is read from the header and refused there when
 * too large, before any pixel is decoded. Most BMPs carry no alpha (their fourth byte is
 * padding, often 0), so alpha is kept only when the file says it has some — otherwise an
 * ordinary BMP would come out fully transparent.
 */
export function decodeBmp(bytes: Buffer): RawBmp {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = Math.abs(view.getInt32(18, true));
  const height = Math.abs(view.getInt32(22, true));
  const tooLarge = pixelCountProblem(width, height);
  if (tooLarge) throw new RefusedByHeader(tooLarge);
  const image = decode(bytes, { toRGBA: true });
  const rgba = image.data;
  const pixels = image.width * image.height;
  let hasAlpha = false;
  if (image.bitPP === 32) for (let i = 3; i < rgba.length && !hasAlpha; i += 4) hasAlpha = rgba[i] !== 0;
  if (hasAlpha) return { data: Buffer.from(rgba.buffer, rgba.byteOffset, pixels * 4), raw: { width: image.width, height: image.height, channels: 4 } };
  const rgb = Buffer.alloc(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    rgb[p * 3] = rgba[p * 4]!;
    rgb[p * 3 + 1] = rgba[p * 4 + 1]!;
    rgb[p * 3 + 2] = rgba[p * 4 + 2]!;
  }
  return { data: rgb, raw: { width: image.width, height: image.height, channels: 3 } };
}

/** The decoded BMP behind a file path or bytes, or null when it is not a BMP. */
export function bmpSource(input: string | Buffer): RawBmp | null {
  if (typeof input === 'string') {
    if (path.extname(input).toLowerCase() !== '.bmp') return null;
    const bytes = readFileSync(input);
    return isBmp(bytes) ? decodeBmp(bytes) : null;
  }
  return isBmp(input) ? decodeBmp(input) : null;
}
