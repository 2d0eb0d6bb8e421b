import fs from 'node:fs/promises';
import path from 'node:path';

/** A file (or a CSV row: `row 12`) that will not be used, and why, in words a person can act on. */
export interface SkippedFile {
  /** Relative to the dataset folder, `/`-separated on every OS; or the row or column it is about. */
  file: string;
  reason: string;
}

/** Extensions worth handing to the decoder (BMP through bmp-ts, see bmp-image.ts; the rest through sharp). */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.bmp']);

const READABLE = 'Strata reads PNG, JPEG, WebP, GIF and TIFF';

/** Why a file is not even tried as an image, judged by its name alone; null when it is worth decoding. */
export function fileNameProblem(fileName: string): string | null {
  // Node reads a name that is not valid UTF-8 with U+FFFD in place of the bad bytes; the
  // file cannot then be opened by that name.
  if (fileName.includes('\uFFFD')) return 'file name is not valid UTF-8 (it cannot be opened by name); rename the file';
  const ext = path.extname(fileName).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext)) return null;
  return ext === '' ? `not an image file (no extension); ${READABLE}` : `not an image file ("${ext}"); ${READABLE}`;
}

/**
 * Turns a decoder failure into a reason. Some causes are clearer from the file than from
 * sharp's message ("Input file contains unsupported image format" for an empty file), so
 * look at the file first.
 */
export async function decodeFailureReason(file: string, err: unknown): Promise<string> {
  if (err instanceof RefusedByHeader) return err.message;
  const size = await fs.stat(file).then((s) => s.size, () => null);
  if (size === null) return 'the file disappeared or cannot be read';
  if (size === 0) return 'empty file (0 bytes)';
  const message = err instanceof Error ? err.message : String(err);
  // sharp's messages sometimes end with a colon or carry libvips' multi-line detail.
  const firstLine = message.split('\n')[0]!.trim().replace(/:$/, '');
  return `cannot be decoded (${firstLine || 'unknown error'}); the file may be damaged or not really an image`;
}

/** A file refused by what its header says (so far: its size in pixels); the message is the reason. */
export class RefusedByHeader extends Error {}

/** Images above this many pixels are refused from their header, before any decoding. */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Why an image is too large to decode, from its header's size; null when it is fine. */
export function pixelCountProblem(width: number, height: number): string | null {
  if (width * height <= MAX_IMAGE_PIXELS) return null;
  return `too large in pixels (${width}×${height}, ${Math.round((width * height) / 1e6)} megapixels; Strata reads up to ${MAX_IMAGE_PIXELS / 1e6}); shrink it first`;
}
