import sharp from 'sharp';
import { encode } from 'bmp-ts';
import { afterAll, describe, expect, it } from 'vitest';
import { DataImportError } from '../data-import-error.ts';
import { decodeImageFile, pixelsToPng, readImageHeader, tryDecodeImage } from './decode-image.ts';
import { makeTempDir, solidImage, tinyBmp, truncatedPng, writeFile, type ImageFormat } from './test-image-files.ts';

const temp = makeTempDir('decode');
afterAll(temp.remove);

/** sRGB → linear light → Rec. 709 luminance → sRGB, which is what libvips' b-w conversion computes. */
function expectedGrey([r, g, b]: readonly number[]): number {
  const lin = (v: number): number => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const y = 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  return y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055;
}

/** The largest distance, in 0–255 steps, between every pixel and `expected`. */
function maxError(pixels: Float32Array, expected: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < pixels.length; i++) worst = Math.max(worst, Math.abs(pixels[i]! * 255 - expected[i % expected.length]! * 255));
  return worst;
}

describe('decodeImageFile: one preprocessing for every kind of image', () => {
  const orange = [200, 100, 50];
  const cases: Array<{ name: string; format: ImageFormat; width: number; height: number; colour: number[]; rgb: number[]; tolerance: number }> = [
    { name: 'RGB png', format: 'png', width: 40, height: 30, colour: orange, rgb: orange, tolerance: 0.5 },
    { name: 'RGB png, tall and thin', format: 'png', width: 7, height: 100, colour: orange, rgb: orange, tolerance: 0.5 },
    { name: 'grey png', format: 'png', width: 10, height: 10, colour: [77], rgb: [77, 77, 77], tolerance: 0.5 },
    { name: 'grey + alpha png, opaque', format: 'png', width: 12, height: 9, colour: [77, 255], rgb: [77, 77, 77], tolerance: 0.5 },
    { name: 'RGBA png, half-transparent black (onto white)', format: 'png', width: 8, height: 8, colour: [0, 0, 0, 128], rgb: [127, 127, 127], tolerance: 1 },
    { name: 'RGBA png, fully transparent red (onto white)', format: 'png', width: 8, height: 8, colour: [255, 0, 0, 0], rgb: [255, 255, 255], tolerance: 0.5 },
    { name: 'jpeg', format: 'jpeg', width: 33, height: 21, colour: orange, rgb: orange, tolerance: 3 },
    { name: 'lossless webp', format: 'webp', width: 50, height: 50, colour: orange, rgb: orange, tolerance: 0.5 },
    { name: 'gif', format: 'gif', width: 16, height: 16, colour: orange, rgb: orange, tolerance: 3 },
    { name: 'tiff', format: 'tiff', width: 5, height: 64, colour: orange, rgb: orange, tolerance: 0.5 },
  ];

  it.each(cases)('$name → every pixel is the colour, as RGB and as grey', async ({ name, format, width, height, colour, rgb, tolerance }) => {
    const file = writeFile(temp.dir, `${name.replace(/\W+/g, '-')}.${format === 'jpeg' ? 'jpg' : format}`, await solidImage({ width, height, colour, format }));
    const asRgb = await decodeImageFile(file, [6, 10], 3);
    const asGrey = await decodeImageFile(file, [6, 10], 1);
    expect({ rgbLength: asRgb.length, greyLength: asGrey.length }).toEqual({ rgbLength: 6 * 10 * 3, greyLength: 6 * 10 });
    expect(maxError(asRgb, rgb.map((v) => v / 255))).toBeLessThanOrEqual(tolerance);
    expect(maxError(asGrey, [expectedGrey(rgb)])).toBeLessThanOrEqual(tolerance + 1);
  });

  it('keeps rows as rows: [h, w] is height then width, and values stay within 0–1', async () => {
    // 30 wide × 20 high: left half black, right half white.
    const raw = Buffer.alloc(30 * 20);
    for (let y = 0; y < 20; y++) for (let x = 15; x < 30; x++) raw[y * 30 + x] = 255;
    const file = writeFile(temp.dir, 'halves.png', await sharp(raw, { raw: { width: 30, height: 20, channels: 1 } }).toColourspace('b-w').png().toBuffer());
    const pixels = await decodeImageFile(file, [4, 10], 1);
    const rows = Array.from({ length: 4 }, (_, y) => Array.from(pixels.subarray(y * 10, y * 10 + 10), (v) => Math.round(v)));
    expect(rows).toEqual(Array.from({ length: 4 }, () => [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]));
    expect(Math.min(...pixels) >= 0 && Math.max(...pixels) <= 1).toBe(true);
  });

  it('reads 16-bit PNGs as 8-bit values', async () => {
    const raw = Buffer.alloc(8 * 8, 77);
    const file = writeFile(temp.dir, 'grey16.png', await sharp(raw, { raw: { width: 8, height: 8, channels: 1 } }).toColourspace('grey16').png().toBuffer());
    expect(maxError(await decodeImageFile(file, [4, 4], 1), [77 / 255])).toBeLessThanOrEqual(0.5);
  });

  it('turns a photo upright by its EXIF orientation before resizing', async () => {
    // Stored 20 wide × 10 high, left black / right white; orientation 6 shows it rotated 90° clockwise: top black, bottom white.
    const raw = Buffer.alloc(20 * 10);
    for (let y = 0; y < 10; y++) for (let x = 10; x < 20; x++) raw[y * 20 + x] = 255;
    const jpeg = await sharp(raw, { raw: { width: 20, height: 10, channels: 1 } }).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const pixels = await decodeImageFile(writeFile(temp.dir, 'rotated.jpg', jpeg), [4, 2], 1);
    expect(Array.from(pixels, (v) => Math.round(v))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('throws NOT_FOUND or UNREADABLE_IMAGE naming the file, with the reason', async () => {
    const files = {
      missing: `${temp.dir}/nope.png`,
      text: writeFile(temp.dir, 'notes.txt', 'hello'),
      empty: writeFile(temp.dir, 'empty.png', Buffer.alloc(0)),
      truncated: writeFile(temp.dir, 'cut.png', await truncatedPng()),
      folder: temp.dir,
    };
    const outcomes: Record<string, { code: string; namesFile: boolean; message: string }> = {};
    for (const [key, file] of Object.entries(files)) {
      const err = await decodeImageFile(file, [8, 8], 1).then(() => null, (e: unknown) => e);
      if (!(err instanceof DataImportError)) throw new Error(`${key}: expected a DataImportError, got ${String(err)}`);
      outcomes[key] = { code: err.code, namesFile: err.message.includes(`"${file}"`) && err.path === file, message: err.message };
    }
    expect(Object.fromEntries(Object.entries(outcomes).map(([k, o]) => [k, [o.code, o.namesFile]]))).toEqual({
      missing: ['NOT_FOUND', true], text: ['UNREADABLE_IMAGE', true], empty: ['UNREADABLE_IMAGE', true],
      truncated: ['UNREADABLE_IMAGE', true], folder: ['UNREADABLE_IMAGE', true],
    });
    expect(outcomes.text!.message).toMatch(/not an image file \("\.txt"\)/);
    expect(outcomes.empty!.message).toMatch(/empty file \(0 bytes\)/);
    expect(outcomes.truncated!.message).toMatch(/cannot be decoded/);
  });

  it('decodes BMP files (which the bundled sharp cannot read) upright and opaque', async () => {
    // bmp-ts' encoder takes ABGR pixels; the top-left one red, the rest white.
    const abgr = Buffer.alloc(3 * 2 * 4, 255);
    abgr.writeUInt32BE(0xff0000ff, 0);
    const bmp = encode({ data: abgr, width: 3, height: 2, bitPP: 24 }).data;
    const file = writeFile(temp.dir, 'flag.bmp', bmp);
    const header = await readImageHeader(file);
    expect([header.width, header.height, header.channels]).toEqual([3, 2, 3]);
    const rgb = Array.from(await decodeImageFile(file, [2, 3], 3), (v) => Math.round(v * 255));
    expect(rgb.slice(0, 6)).toEqual([255, 0, 0, 255, 255, 255]);
    // A BMP whose pixel bytes are all zero is black, not transparent (its 4th bytes are padding).
    expect(Array.from(await decodeImageFile(writeFile(temp.dir, 'tiny.bmp', tinyBmp()), [2, 2], 1))).toEqual([0, 0, 0, 0]);
  });

  it('tryDecodeImage reports the same reasons without throwing', async () => {
    const file = writeFile(temp.dir, 'also-empty.jpg', Buffer.alloc(0));
    expect(await tryDecodeImage(file, [8, 8], 3)).toEqual({ ok: false, reason: 'empty file (0 bytes)' });
  });
});

describe('pixelsToPng', () => {
  it('writes a grey image enlarged with crisp square pixels', async () => {
    const pixels = Float32Array.from([0, 0.5, 1, 0.25, 2, -1]); // 2 high × 3 wide; out-of-range values are clamped
    const png = await pixelsToPng(pixels, 2, 3, 1, 2);
    const stored = await sharp(png).metadata();
    // sharp reads into sRGB unless told otherwise; ask for the one grey channel back.
    const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    expect({ width: info.width, height: info.height, channels: stored.channels, rows: [[...data.subarray(0, 6)], [...data.subarray(18, 24)]] }).toEqual({
      width: 6, height: 4, channels: 1, rows: [[0, 0, 128, 128, 255, 255], [64, 64, 255, 255, 0, 0]],
    });
  });

  it('round-trips a decoded RGB image', async () => {
    const file = writeFile(temp.dir, 'roundtrip.png', await solidImage({ width: 9, height: 5, colour: [200, 100, 50] }));
    const pixels = await decodeImageFile(file, [5, 9], 3);
    const png = await pixelsToPng(pixels, 5, 9, 3);
    expect(await decodeImageFile(writeFile(temp.dir, 'again.png', png), [5, 9], 3)).toEqual(pixels);
  });

  it('rejects a pixel count that does not match the shape', async () => {
    await expect(pixelsToPng(new Float32Array(5), 2, 3, 1)).rejects.toThrow(/expected 2×3×1 = 6 values, got 5/);
  });
});
