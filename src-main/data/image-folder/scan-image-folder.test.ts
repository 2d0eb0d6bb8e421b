import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDatasetScanSchema } from '../../../src-shared/contract/commands.ts';
import { writeDigitFolder } from '../../engine/testing/write-digit-folder.ts';
import { findDatasetProblem } from './dataset-problems.ts';
import { scanImageFolder, suggestImageSize } from './scan-image-folder.ts';
import { makeTempDir, noisyPng, solidImage, tinyBmp, truncatedPng, writeFile } from './test-image-files.ts';

const temp = makeTempDir('scan');
afterAll(temp.remove);

async function thumbnailInfo(dataUrl: string): Promise<string> {
  const prefix = 'data:image/png;base64,';
  if (!dataUrl.startsWith(prefix)) return `not a PNG data URL: ${dataUrl.slice(0, 30)}`;
  const meta = await sharp(Buffer.from(dataUrl.slice(prefix.length), 'base64')).metadata();
  return `${meta.format} ${meta.width}x${meta.height}`;
}

describe('scanImageFolder on real digits', () => {
  const digits = path.join(temp.dir, 'digits');
  beforeAll(async () => {
    await writeDigitFolder(digits, { perClass: 12, seed: 3 });
    // Hidden files and folders are ignored without a word.
    writeFile(digits, '.DS_Store', 'junk');
    writeFile(digits, '3/.DS_Store', 'junk');
    writeFile(digits, '.cache/0.png', await solidImage({ width: 4, height: 4, colour: [0] }));
  });

  it('counts the classes, makes decodable thumbnails and suggests 28×28 grey', async () => {
    const scan = ImageDatasetScanSchema.parse(await scanImageFolder(digits));
    const thumbnails = await Promise.all(scan.classes.flatMap((c) => c.thumbnails.map(thumbnailInfo)));
    expect({
      root: scan.root,
      classes: scan.classes.map((c) => [c.name, c.count, c.thumbnails.length]),
      total: scan.total,
      skipped: scan.skipped,
      suggested: scan.suggested,
      thumbnails: [...new Set(thumbnails)],
    }).toEqual({
      root: digits,
      classes: Array.from({ length: 10 }, (_, d) => [String(d), 12, 3]),
      total: 120,
      skipped: [],
      suggested: { imageSize: [28, 28], channels: 1 },
      thumbnails: ['png 48x48'],
    });
    expect(findDatasetProblem(scan.root, scan.classes, scan.skipped)).toBeNull();
  });
});

describe('scanImageFolder on a messy folder', () => {
  const messy = path.join(temp.dir, 'messy');
  beforeAll(async () => {
    const colour = await solidImage({ width: 100, height: 80, colour: [200, 30, 30] });
    writeFile(messy, 'labels.csv', 'file,label\n');
    writeFile(messy, 'cats/a.png', colour);
    writeFile(messy, 'cats/b.JPG', await solidImage({ width: 100, height: 80, colour: [20, 200, 30], format: 'jpeg' }));
    writeFile(messy, 'cats/indoor/c.webp', await solidImage({ width: 100, height: 80, colour: [20, 30, 200], format: 'webp' }));
    writeFile(messy, 'cats/d.gif', await solidImage({ width: 32, height: 32, colour: [90, 90, 200], format: 'gif' }));
    writeFile(messy, 'cats/notes.txt', 'a cat');
    writeFile(messy, 'cats/zero.png', Buffer.alloc(0));
    writeFile(messy, 'cats/header-cut.png', colour.subarray(0, 30));
    writeFile(messy, 'cats/old.bmp', tinyBmp());
    writeFile(messy, 'dogs/e.tif', await solidImage({ width: 28, height: 28, colour: [128], format: 'tiff' }));
    writeFile(messy, 'dogs/README', 'dogs');
    // The header is fine, so only decoding notices; it is among the thumbnails, which decode.
    writeFile(messy, 'dogs/pixels-cut.png', await truncatedPng());
    writeFile(messy, 'fish/only-text.txt', 'no fish yet');
  });

  it('counts what will be used and lists every other file with a reason', async () => {
    const scan = ImageDatasetScanSchema.parse(await scanImageFolder(messy));
    const reasonKind = (reason: string): string => reason.replace(/ \(.*$|;.*$/, '');
    expect({
      classes: scan.classes.map((c) => [c.name, c.count, c.thumbnails.length]),
      total: scan.total,
      skipped: scan.skipped.map((s) => [s.file, reasonKind(s.reason)]),
      suggested: scan.suggested,
    }).toEqual({
      // old.bmp is read too (through bmp-ts).
      classes: [['cats', 5, 3], ['dogs', 1, 1], ['fish', 0, 0]],
      total: 6,
      skipped: [
        ['cats/header-cut.png', 'cannot be decoded'],
        ['cats/notes.txt', 'not an image file'],
        ['cats/zero.png', 'empty file'],
        ['dogs/README', 'not an image file'],
        ['dogs/pixels-cut.png', 'cannot be decoded'],
        ['fish/only-text.txt', 'not an image file'],
        ['labels.csv', 'not inside a class folder'],
      ],
      // 80×100 is the most common size; the longer side is brought down to 64.
      suggested: { imageSize: [51, 64], channels: 3 },
    });
    const problem = findDatasetProblem(scan.root, scan.classes, scan.skipped);
    expect([problem?.code, problem?.path]).toEqual(['EMPTY_CLASS', path.join(messy, 'fish')]);
  });
});

describe('suggested channels and size', () => {
  it('calls RGB-encoded images with grey pixels grey, and colourful ones colour', async () => {
    const grey = path.join(temp.dir, 'grey-jpegs');
    const mixed = path.join(temp.dir, 'mixed');
    for (const [dir, colourful] of [[grey, false], [mixed, true]] as const) {
      for (const cls of ['x', 'y']) {
        for (let i = 0; i < 3; i++) {
          const rgb = colourful && cls === 'y' && i === 2 ? [180, 40, 40] : [60 + 40 * i, 60 + 40 * i, 60 + 40 * i];
          writeFile(dir, `${cls}/${i}.jpg`, await solidImage({ width: 20, height: 20, colour: rgb, format: 'jpeg' }));
        }
      }
    }
    const [greyScan, mixedScan] = await Promise.all([scanImageFolder(grey), scanImageFolder(mixed)]);
    expect([greyScan.suggested, mixedScan.suggested]).toEqual([
      { imageSize: [20, 20], channels: 1 },
      { imageSize: [20, 20], channels: 3 },
    ]);
  });

  it('picks the most common size and scales it so the longer side is at most 64', () => {
    const sizes = (list: Array<[number, number, number]>) => list.flatMap(([h, w, n]) => Array.from({ length: n }, () => ({ height: h, width: w })));
    expect([
      suggestImageSize([]),
      suggestImageSize(sizes([[28, 28, 5], [32, 32, 2]])),
      suggestImageSize(sizes([[480, 640, 3], [28, 28, 2]])),
      suggestImageSize(sizes([[1000, 10, 1]])),
      suggestImageSize(sizes([[40, 40, 2], [30, 30, 2]])),
    ]).toEqual([[28, 28], [28, 28], [48, 64], [64, 4], [30, 30]]);
  });
});

describe('scanImageFolder on a larger folder', () => {
  it('counts 2,000 small images across four classes', async () => {
    const many = path.join(temp.dir, 'many');
    const png = await noisyPng(16, 16, 1);
    for (let c = 0; c < 4; c++) {
      fs.mkdirSync(path.join(many, `class-${c}`), { recursive: true });
      for (let i = 0; i < 500; i++) fs.writeFileSync(path.join(many, `class-${c}`, `${i}.png`), png);
    }
    // Speed is measured by bench, not asserted here.
    const scan = await scanImageFolder(many);
    expect(scan.total).toBe(2000);
    expect(scan.classes.map((c) => c.count)).toEqual([500, 500, 500, 500]);
  });
});
