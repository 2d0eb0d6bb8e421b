/**
 * A fast path for the commonest dataset file: an 8-bit PNG already at the model's input
 * size, grey for a grey model or RGB for a colour one, without alpha, palette or
 * interlacing. For such a file sharp's whole pipeline (header, flatten, resize, colour
 * conversion) is the identity, so its bytes are exactly the decoded pixels — and
 * libtensorflow's own PNG decoder, through tfjs-node in the engine process, gives them about
 * ten times faster than a sharp pipeline per small file. Everything else takes sharp's path.
 *
 * The decoder is registered by the engine once native TensorFlow has loaded; the host
 * process (which has no TensorFlow) never uses the fast path.
 */
export type NativePngDecoder = (png: Uint8Array, channels: 1 | 3) => Uint8Array;

let nativeDecoder: NativePngDecoder | null = null;

export function registerNativePngDecoder(decoder: NativePngDecoder | null): void {
  nativeDecoder = decoder;
}

export function registeredNativePngDecoder(): NativePngDecoder | null {
  return nativeDecoder;
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
  if (!nativeDecoder) return null;
  const header = plainPngHeader(png);
  if (!header || header.bitDepth !== 8 || header.interlace !== 0 || header.colourType !== COLOUR_TYPE_FOR[channels]) return null;
  if (header.height !== size[0] || header.width !== size[1] || hasTransformingChunk(png)) return null;
  try {
    const bytes = nativeDecoder(png, channels);
    return bytes.length === size[0] * size[1] * channels ? bytes : null;
  } catch {
    return null;
  }
}
