import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFolderHealth } from './image-health-report.ts';
import { loadImageDataset } from './load-image-dataset.ts';
import { scanImageFolder } from './scan-image-folder.ts';
import { makeTempDir, solidImage } from './test-image-files.ts';

// The bad-input corpus, made by the test: every case is imported with the file
// skipped and named, or read correctly — never a crash, never a silent wrong count — and
// the scan, the health report and the loader agree.

/** A PNG whose header claims width×height but which holds one row of pixels: enough for a header check. */
function headerOnlyPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grey, no interlace
  const firstRow = zlib.deflateSync(Buffer.alloc(1 + width)); // filter byte + one grey row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', firstRow), chunk('IEND', Buffer.alloc(0)),
  ]);
}

let tmp: ReturnType<typeof makeTempDir>;
let root: string;
const ok = (name: string) => path.join(root, 'good', name);

beforeAll(async () => {
  tmp = makeTempDir('corpus');
  root = path.join(tmp.dir, 'data');
  for (const d of ['good', 'bad', 'one', 'empty']) fs.mkdirSync(path.join(root, d), { recursive: true });
  const grey = await solidImage({ width: 20, height: 20, colour: [90] });
  for (let i = 0; i < 4; i++) fs.writeFileSync(ok(`grey-${i}.png`), await solidImage({ width: 20, height: 20, colour: [40 * i] }));
  // Layouts that must all decode: CMYK JPEG, 16-bit PNG, palette PNG, RGBA, animated GIF.
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 30, b: 30 } } }).toColourspace('cmyk').jpeg().toFile(ok('cmyk.jpg'));
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 10, g: 120, b: 250 } } }).png().toColourspace('rgb16').toFile(ok('sixteen-bit.png'));
  await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 10, g: 200, b: 20 } } }).png({ palette: true }).toFile(ok('palette.png'));
  fs.writeFileSync(ok('rgba.png'), await solidImage({ width: 16, height: 16, colour: [1, 2, 3, 100] }));
  const frame = (v: number) => ({ create: { width: 12, height: 12, channels: 3 as const, background: { r: v, g: v, b: v } } });
  await sharp([await sharp(frame(10)).png().toBuffer(), await sharp(frame(250)).png().toBuffer()], { join: { animated: true } }).gif().toFile(ok('animated.gif'));
  // Bad files.
  fs.writeFileSync(path.join(root, 'bad', 'zero.png'), '');
  fs.writeFileSync(path.join(root, 'bad', 'truncated.png'), grey.subarray(0, 40));
  fs.writeFileSync(path.join(root, 'bad', 'really-text.jpg'), 'hello');
  fs.writeFileSync(path.join(root, 'bad', 'huge.png'), headerOnlyPng(30_000, 30_000));
  fs.writeFileSync(path.join(root, 'bad', 'notes.txt'), 'not an image');
  fs.writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'bad') + path.sep), Buffer.from([0x62, 0xff, 0x2e, 0x70, 0x6e, 0x67])]), grey); // "b\xff.png"
  // Hidden things are ignored silently; symbolic links: a loop and one leaving the folder.
  fs.writeFileSync(path.join(root, 'good', '.DS_Store'), 'mac');
  fs.mkdirSync(path.join(root, '.git'));
  fs.writeFileSync(path.join(root, '.git', 'HEAD'), 'ref');
  fs.symlinkSync(path.join(root, 'good'), path.join(root, 'good', 'loop'));
  fs.writeFileSync(path.join(tmp.dir, 'outside.png'), grey);
  fs.symlinkSync(path.join(tmp.dir, 'outside.png'), path.join(root, 'bad', 'escape.png'));
  fs.writeFileSync(path.join(root, 'one', 'only.png'), grey);
  fs.writeFileSync(path.join(root, 'bad', 'fine.png'), grey); // a class needs one usable image to train
});
afterAll(() => tmp.remove());

describe('the bad-input corpus', () => {
  it('the health report skips each bad file with its reason and reads every odd-but-valid layout', async () => {
    const report = await imageFolderHealth(root);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['bad/zero.png']).toBe('empty file (0 bytes)');
    expect(reasons['bad/truncated.png']).toMatch(/cannot be decoded/);
    expect(reasons['bad/really-text.jpg']).toMatch(/cannot be decoded/);
    expect(reasons['bad/huge.png']).toMatch(/^too large in pixels \(30000×30000, 900 megapixels/);
    expect(reasons['bad/notes.txt']).toMatch(/^not an image file \(".txt"\)/);
    expect(reasons['bad/b\uFFFD.png']).toMatch(/not valid UTF-8/);
    expect(reasons['bad/escape.png']).toMatch(/outside the dataset folder; not followed/);
    expect(Object.keys(reasons).some((f) => f.includes('.DS_Store') || f.includes('.git'))).toBe(false);
    expect(report.classes.map((c) => [c.name, c.count])).toEqual([['bad', 1], ['empty', 0], ['good', 9], ['one', 1]]);
    expect(report.channels.map((c) => c.layout).sort()).toEqual(expect.arrayContaining(['cmyk', 'grey', 'rgb', 'rgba']));
    expect(report.findings.map((f) => f.message).join('\n')).toMatch(/Class "empty" has no usable image/);
  });

  it('the scan and the loader count the same files as the report', async () => {
    const scan = await scanImageFolder(root);
    expect(scan.classes.map((c) => [c.name, c.count])).toEqual([['bad', 1], ['empty', 0], ['good', 9], ['one', 1]]);
    expect(scan.skipped.find((s) => s.file === 'bad/huge.png')?.reason).toMatch(/^too large in pixels/);
    fs.rmSync(path.join(root, 'empty'), { recursive: true }); // the loader refuses an empty class (EMPTY_CLASS)
    try {
      const loaded = await loadImageDataset({ path: root, imageSize: [16, 16], channels: 3, validationSplit: 0.2, seed: 1 });
      expect(loaded.train.count + loaded.validation.count).toBe(11);
      expect(loaded.skipped.find((s) => s.file === 'bad/huge.png')?.reason).toMatch(/^too large in pixels/);
      expect(loaded.skipped.find((s) => s.file === 'bad/escape.png')?.reason).toMatch(/not followed/);
    } finally {
      fs.mkdirSync(path.join(root, 'empty'));
    }
  });
});
