import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

/** Real image files for the data tests, written into a temporary folder each test owns. */

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff';

export interface SolidImage {
  width: number;
  height: number;
  /** 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) values, 0–255. */
  colour: readonly number[];
  format?: ImageFormat;
}

/** A fresh empty folder under the OS temp dir, removed by the returned function. */
export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `strata-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Encodes an image of one colour; the channel count of `colour` is the channel count stored. */
export async function solidImage({ width, height, colour, format = 'png' }: SolidImage): Promise<Buffer> {
  const channels = colour.length as 1 | 2 | 3 | 4;
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < channels; c++) raw[i * channels + c] = colour[c]!;
  let image = sharp(raw, { raw: { width, height, channels } });
  // Without an explicit b-w colourspace sharp stores one grey channel as three.
  if (channels <= 2) image = image.toColourspace('b-w');
  switch (format) {
    case 'png': return image.png().toBuffer();
    case 'jpeg': return image.jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'webp': return image.webp({ lossless: true }).toBuffer();
    case 'gif': return image.gif().toBuffer();
    case 'tiff': return image.tiff().toBuffer();
  }
}

/** Writes `bytes` to `root/rel`, creating folders on the way; returns the absolute path. */
export function writeFile(root: string, rel: string, bytes: Buffer | string): string {
  const file = path.join(root, ...rel.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/** A PNG whose header is intact but whose pixel data stops halfway: only a full decode notices. */
export async function truncatedPng(): Promise<Buffer> {
  const png = await noisyPng(32, 32, 7);
  return png.subarray(0, Math.floor(png.length / 2));
}

/** A grey PNG of seeded noise: unlike a solid image it compresses poorly, so truncating it cuts pixel data. */
export async function noisyPng(width: number, height: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height);
  let state = seed >>> 0;
  for (let i = 0; i < raw.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    raw[i] = state >>> 24;
  }
  return sharp(raw, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer();
}

/** A valid 2×2 24-bit BMP, written by hand because sharp cannot write (or read) BMP. */
export function tinyBmp(): Buffer {
  const rowBytes = 8; // 2 pixels × 3 bytes, padded to 4
  const pixelBytes = rowBytes * 2;
  const bmp = Buffer.alloc(54 + pixelBytes);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(2, 18);
  bmp.writeInt32LE(2, 22);
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  bmp.writeUInt32LE(pixelBytes, 34);
  return bmp;
}
