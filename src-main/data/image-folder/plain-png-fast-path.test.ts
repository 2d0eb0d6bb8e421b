import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../../engine/testing/write-digit-folder.ts';
import { decodeImageBytes } from './decode-image.ts';
import { decodePlainPng, setPlainPngFastPath } from './plain-png-fast-path.ts';
import { makeTempDir, solidImage } from './test-image-files.ts';

let tmp: ReturnType<typeof makeTempDir>;
let files: string[];
beforeAll(async () => {
  tmp = makeTempDir('fastpng');
  await writeDigitFolder(tmp.dir, { perClass: 30, seed: 8 });
  files = fs.readdirSync(tmp.dir).flatMap((c) => fs.readdirSync(path.join(tmp.dir, c)).map((f) => path.join(tmp.dir, c, f)));
});
afterAll(() => tmp.remove());

/** decodeImageBytes with the fast path switched off: sharp only. */
async function viaSharp(file: string, size: [number, number], channels: 1 | 3): Promise<Uint8Array> {
  setPlainPngFastPath(false);
  try {
    const out = await decodeImageBytes(file, size, channels);
    if (!out.ok) throw new Error(out.reason);
    return out.bytes;
  } finally {
    setPlainPngFastPath(true);
  }
}

describe('the plain PNG fast path', () => {
  it('gives exactly the bytes sharp gives, for 300 real digit PNGs at the input size', async () => {
    for (const file of files) {
      const fast = decodePlainPng(fs.readFileSync(file), [28, 28], 1);
      expect(fast, file).not.toBeNull();
      expect(Buffer.from(fast!).equals(Buffer.from(await viaSharp(file, [28, 28], 1))), file).toBe(true);
    }
  });

  it('steps aside whenever sharp would change the pixels: resize, colour conversion, alpha, palette', async () => {
    const digit = fs.readFileSync(files[0]!);
    expect(decodePlainPng(digit, [32, 32], 1)).toBeNull(); // needs a resize
    expect(decodePlainPng(digit, [28, 28], 3)).toBeNull(); // grey → RGB conversion
    const rgba = await solidImage({ width: 28, height: 28, colour: [10, 20, 30, 128] });
    expect(decodePlainPng(rgba, [28, 28], 3)).toBeNull(); // alpha onto white
    const palette = await sharp({ create: { width: 28, height: 28, channels: 3, background: { r: 9, g: 99, b: 199 } } }).png({ palette: true }).toBuffer();
    expect(decodePlainPng(palette, [28, 28], 3)).toBeNull();
    const rgb = await solidImage({ width: 28, height: 28, colour: [10, 20, 30] });
    expect(decodePlainPng(rgb, [28, 28], 3)).toEqual(new Uint8Array(28 * 28 * 3).map((_, i) => [10, 20, 30][i % 3]!));
    expect(decodePlainPng(Buffer.from('not a png at all, just words here'), [28, 28], 1)).toBeNull();
    const cut = digit.subarray(0, 60); // a truncated PNG: sharp's path says why it is broken
    expect(decodePlainPng(cut, [28, 28], 1)).toBeNull();
  });
});
