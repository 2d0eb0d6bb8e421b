import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { dataImportErrors } from '../data-import-error.ts';
import { decodeFailureReason, fileNameProblem, pixelCountProblem, RefusedByHeader } from './image-file-problems.ts';
import { bmpSource } from './bmp-image.ts';
import { decodePlainPng } from './plain-png-fast-path.ts';

/**
 * Transparent pixels are composited onto white before anything else, for every image and
 * every channel count, so a model sees what an image viewer shows. (Dropping alpha instead
 * would expose whatever colour the encoder left under transparent pixels — often black,
 * sometimes garbage.)
 */
export const ALPHA_BACKGROUND = { r: 255, g: 255, b: 255 } as const;

/**
 * Files decoded at once. sharp runs each job on libuv's small thread pool; more jobs in flight
 * than that only hold open files, fewer leave threads idle while a job waits for the disk.
 */
export const IMAGE_IO_CONCURRENCY = 16;

/**
 * How every image file is opened, by the scan, the loader and the single-file decoder alike.
 * `failOn: 'error'` rejects truncated or corrupt pixel data but still reads files that only
 * draw warnings (common with JPEGs from cameras and scrapers, which every viewer shows).
 * EXIF orientation is applied so a phone photo is upright, as in a viewer.
 */
export function openImage(file: string | Buffer, options: { limitInputPixels?: false } = {}): Sharp {
  // BMP has no reader in the bundled sharp: decode it here and hand sharp its raw pixels.
  const bmp = bmpSource(file);
  if (bmp) return sharp(bmp.data, { raw: bmp.raw, ...options });
  return sharp(file, { failOn: 'error', autoOrient: true, ...options });
}

/**
 * An image's header (size, channels, colour space) without decoding it. sharp's own pixel
 * limit is lifted here only, so an oversized picture is measured — and then refused by
 * `pixelCountProblem` with its real size — rather than failing with a generic message.
 */
export async function readImageHeader(file: string | Buffer): Promise<Metadata> {
  return openImage(file, { limitInputPixels: false }).metadata();
}

/** The header of an image Strata will decode, or RefusedByHeader with the reason. */
export async function usableImageHeader(file: string | Buffer): Promise<Metadata> {
  const meta = await readImageHeader(file);
  const tooLarge = pixelCountProblem(meta.width, meta.height);
  if (tooLarge) throw new RefusedByHeader(tooLarge);
  return meta;
}

/** Files up to this size are read whole before decoding (see decodeImageBytes). */
const SMALL_FILE_BYTES = 4 << 20;

/** The whole file when it is at most SMALL_FILE_BYTES, else null; one open, one fstat, one read. */
function readIfSmall(file: string): Buffer | null {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > SMALL_FILE_BYTES) return null;
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Decoding one file either gives the model's input or says why the file is unusable. */
export type DecodeOutcome = { ok: true; pixels: Float32Array } | { ok: false; reason: string };

/** The same decode as 8-bit samples: a quarter of the memory while a whole dataset is in flight. */
export type DecodeBytesOutcome = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * The one preprocessing path: flatten alpha onto white, resize to exactly `[h, w]` (stretching,
 * like Keras' `image_dataset_from_directory`), convert to grey (luminance) or sRGB. Row-major
 * `h × w × channels` bytes. Never throws for a bad file: the loader skips those.
 */
export async function decodeImageBytes(file: string, imageSize: readonly [number, number], channels: 1 | 3): Promise<DecodeBytesOutcome> {
  const nameProblem = fileNameProblem(file);
  if (nameProblem) return { ok: false, reason: nameProblem };
  const [h, w] = imageSize;
  let raw: { data: Buffer; info: OutputInfo };
  try {
    // Small files (nearly every dataset image) are read synchronously into memory: fs.promises'
    // open/stat/read round trips cost more than the read itself. A large one is left to sharp
    // to read, so sixteen files in flight never means sixteen big buffers.
    const bytes = readIfSmall(file);
    const fast = bytes && decodePlainPng(bytes, imageSize, channels);
    if (fast) return { ok: true, bytes: fast };
    // One pipeline reads the header and then decodes (a second one per file would double the
    // cost on small images); the size is checked from the header before any pixel is decoded,
    // so sharp's own pixel limit can be lifted here.
    const image = openImage(bytes ?? file, { limitInputPixels: false });
    const meta = await image.metadata();
    const tooLarge = pixelCountProblem(meta.width, meta.height);
    if (tooLarge) return { ok: false, reason: tooLarge };
    raw = await image
      .flatten({ background: ALPHA_BACKGROUND })
      .resize(w, h, { fit: 'fill' })
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      // 16-bit PNGs and TIFFs would otherwise come out as ushort samples.
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    return { ok: false, reason: await decodeFailureReason(file, err) };
  }
  const { data, info } = raw;
  if (info.width !== w || info.height !== h || info.channels !== channels) {
    // A decoder that ignored the requested colourspace would silently mislabel channels.
    return { ok: false, reason: `decoded to ${info.width}×${info.height}×${info.channels} instead of ${w}×${h}×${channels}` };
  }
  return { ok: true, bytes: data };
}

/** Model input values 0–1 from decoded bytes, written into `out` at `offset` (the loader fills one big array). */
export function bytesToPixels(bytes: Uint8Array, out: Float32Array = new Float32Array(bytes.length), offset = 0): Float32Array {
  for (let i = 0; i < bytes.length; i++) out[offset + i] = bytes[i]! / 255;
  return out;
}

/** `decodeImageBytes` scaled to 0–1: exactly what the dataset loader puts in its arrays. */
export async function tryDecodeImage(file: string, imageSize: readonly [number, number], channels: 1 | 3): Promise<DecodeOutcome> {
  const outcome = await decodeImageBytes(file, imageSize, channels);
  return outcome.ok ? { ok: true, pixels: bytesToPixels(outcome.bytes) } : outcome;
}

/**
 * Decodes one image file (e.g. one a person picked to explain) exactly as the dataset
 * loader does. Throws DataImportError NOT_FOUND or UNREADABLE_IMAGE.
 */
export async function decodeImageFile(file: string, imageSize: readonly [number, number], channels: 1 | 3): Promise<Float32Array> {
  const abs = path.resolve(file);
  const stat = await fs.stat(abs).catch(() => null);
  if (!stat) throw dataImportErrors.notFound(abs);
  if (stat.isDirectory()) throw dataImportErrors.unreadableImage(abs, 'it is a folder, not an image file');
  const outcome = await tryDecodeImage(abs, imageSize, channels);
  if (!outcome.ok) throw dataImportErrors.unreadableImage(abs, outcome.reason);
  return outcome.pixels;
}

/**
 * Encodes model input pixels (`h × w × channels`, 0–1) as a PNG for display, enlarged by an
 * integer `scale` with nearest-neighbour so each input pixel stays a crisp square.
 */
export async function pixelsToPng(pixels: Float32Array, h: number, w: number, channels: 1 | 3, scale = 1): Promise<Buffer> {
  if (pixels.length !== h * w * channels) {
    throw new RangeError(`pixelsToPng: expected ${h}×${w}×${channels} = ${h * w * channels} values, got ${pixels.length}`);
  }
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`pixelsToPng: scale must be a positive integer, got ${scale}`);
  const bytes = Buffer.alloc(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    bytes[i] = Number.isNaN(v) ? 0 : Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  let image = sharp(bytes, { raw: { width: w, height: h, channels } });
  if (scale > 1) image = image.resize(w * scale, h * scale, { kernel: 'nearest' });
  // Without an explicit b-w colourspace sharp writes a one-channel input as three channels.
  return image.toColourspace(channels === 1 ? 'b-w' : 'srgb').png().toBuffer();
}
