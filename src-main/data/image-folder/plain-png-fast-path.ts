import { inflateSync } from 'node:zlib';

/**
 * A fast path for the commonest dataset file: an 8-bit PNG already at the model's input
 * size, grey for a grey model or RGB for a colour one, without alpha, palette or
 * interlacing. For such a file sharp's whole pipeline (header, flatten, resize, colour
 * conversion) is the identity, so its bytes are exactly the decoded pixels — and inflating
 * and unfiltering them here (Node's zlib; a few microseconds for a small image) is many
 * times faster than a sharp pipeline or a libtensorflow op per small file. Anything else —
 * and any file this path finds odd — takes sharp's path, which also says why a file is bad.
 */
let enabled = true;

/** Tests switch the fast path off to compare it with sharp's output. */
export function setPlainPngFastPath(on: boolean): void {
  enabled = on;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG colour types: 0 grey, 2 RGB (no alpha, no palette). */
const COLOUR_TYPE_FOR = { 1: 0, 3: 2 } as const;

/** The PNG's IHDR fields, or null when the bytes are not a PNG this path can take. */
function plainPngHeader(bytes: Uint8Array): { width: number; height: number; bitDepth: number; colourType: number; interlace: number } | null {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24]!, colourType: bytes[25]!, interlace: bytes[28]! };
}

/** Whether a chunk that would change what sharp shows (transparency, gamma, colour profile, EXIF) is present. */
function hasTransformingChunk(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (type === 'IDAT' || type === 'IEND') return false; // the ones that matter come before the pixels
    if (type === 'tRNS' || type === 'gAMA' || type === 'iCCP' || type === 'sBIT' || type === 'eXIf' || type === 'cHRM') return true;
    at += 12 + length;
  }
  return false;
}

/**
 * The model's input bytes for `png` when the fast path applies (the exact bytes sharp would
 * give), else null. A decoding error also gives null: sharp then decodes the file and, if
 * it is broken, says why in its usual words.
 */
export function decodePlainPng(png: Uint8Array, size: readonly [number, number], channels: 1 | 3): Uint8Array | null {
  if (!enabled) return null;
  const header = plainPngHeader(png);
  if (!header || header.bitDepth !== 8 || header.interlace !== 0 || header.colourType !== COLOUR_TYPE_FOR[channels]) return null;
  if (header.height !== size[0] || header.width !== size[1] || hasTransformingChunk(png)) return null;
  try {
    return unfilter(inflateSync(idatData(png)), size[0], size[1] * channels, channels);
  } catch {
    return null; // a truncated or corrupt stream: sharp's path reports it
  }
}

/** The concatenated IDAT chunks (the zlib stream of the filtered scanlines). */
function idatData(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(png[at + 4]!, png[at + 5]!, png[at + 6]!, png[at + 7]!);
    if (at + 12 + length > png.length) throw new RangeError('chunk runs past the end of the file');
    if (type === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth) for 8-bit samples, `bpp` bytes per pixel. */
function unfilter(data: Uint8Array, rows: number, rowBytes: number, bpp: number): Uint8Array | null {
  if (data.length !== rows * (rowBytes + 1)) return null;
  const out = new Uint8Array(rows * rowBytes);
  for (let y = 0; y < rows; y++) {
    const filter = data[y * (rowBytes + 1)]!;
    const src = y * (rowBytes + 1) + 1;
    const row = y * rowBytes;
    const prev = row - rowBytes; // the row above (only read when y > 0)
    for (let x = 0; x < rowBytes; x++) {
      const raw = data[src + x]!;
      const a = x >= bpp ? out[row + x - bpp]! : 0;
      const b = y > 0 ? out[prev + x]! : 0;
      const c = x >= bpp && y > 0 ? out[prev + x - bpp]! : 0;
      let value: number;
      switch (filter) {
        case 0: value = raw; break;
        case 1: value = raw + a; break;
        case 2: value = raw + b; break;
        case 3: value = raw + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          value = raw + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: return null;
      }
      out[row + x] = value & 0xff;
    }
  }
  return out;
}
