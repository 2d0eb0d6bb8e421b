import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageHealthReportSchema, type ImageHealthReport } from '../../../src-shared/contract/data-health.ts';
import { writeDigitFolder } from '../../engine/testing/write-digit-folder.ts';
import { imageFolderHealth } from './image-health-report.ts';
import { loadImageDataset } from './load-image-dataset.ts';
import { makeTempDir, solidImage } from './test-image-files.ts';

// A real digits folder (3 classes) with problems planted by the test, and the report must
// find exactly what was planted.
let tmp: ReturnType<typeof makeTempDir>;
let root: string;
let report: ImageHealthReport;
const planted = {
  sameClassCopy: ['1/1-00.png', '1/copy-of-1-00.png'],
  crossClassCopy: ['2/2-01.png', '7/looks-like-a-7.png'],
  nearCopy: ['1/1-02.png', '1/1-02-brighter.jpg'],
};

beforeAll(async () => {
  tmp = makeTempDir('health');
  root = path.join(tmp.dir, 'digits');
  await writeDigitFolder(root, { perClass: 40, seed: 5 });
  for (const d of ['0', '3', '4', '5', '6', '8', '9']) fs.rmSync(path.join(root, d), { recursive: true });
  // Class 7 keeps 8 images only: imbalance and a tiny class.
  for (const f of fs.readdirSync(path.join(root, '7')).slice(8)) fs.rmSync(path.join(root, '7', f));
  fs.copyFileSync(path.join(root, planted.sameClassCopy[0]!), path.join(root, planted.sameClassCopy[1]!));
  fs.copyFileSync(path.join(root, planted.crossClassCopy[0]!), path.join(root, planted.crossClassCopy[1]!));
  // A re-encoded, slightly brighter copy: different bytes, same picture.
  await sharp(path.join(root, planted.nearCopy[0]!)).linear(1, 12).jpeg({ quality: 90 }).toFile(path.join(root, planted.nearCopy[1]!));
  fs.writeFileSync(path.join(root, '2', 'empty.png'), '');
  fs.writeFileSync(path.join(root, '2', 'notes.png'), 'this is not an image');
  const png = await solidImage({ width: 64, height: 64, colour: [10, 200, 30, 255] });
  fs.writeFileSync(path.join(root, '2', 'cut.png'), png.subarray(0, Math.floor(png.length / 2)));
  fs.writeFileSync(path.join(root, '1', 'rgba.png'), await solidImage({ width: 40, height: 30, colour: [200, 10, 10, 128] }));
  report = ImageHealthReportSchema.parse(await imageFolderHealth(root, { validationSplit: 0.25, seed: 7 }));
});
afterAll(() => tmp.remove());

const sorted = (files: readonly string[]) => [...files].sort();

describe('the image-folder health report', () => {
  it('counts classes as training will split them, and measures the imbalance', async () => {
    expect(report.classes.map((c) => [c.name, c.count])).toEqual([['1', 43], ['2', 40], ['7', 9]]);
    expect(report.imbalance).toBeCloseTo(43 / 9, 5);
    // The same split the loader makes with the same seed and share.
    const loaded = await loadImageDataset({ path: root, imageSize: [28, 28], channels: 1, validationSplit: 0.25, seed: 7 });
    expect(report.classes.reduce((n, c) => n + c.validation, 0)).toBe(loaded.validation.count);
    expect(report.total).toBe(loaded.train.count + loaded.validation.count);
  });

  it('names every skipped file with its reason, including a truncated one', () => {
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['2/empty.png']).toBe('empty file (0 bytes)');
    expect(reasons['2/notes.png']).toMatch(/cannot be decoded/);
    expect(reasons['2/cut.png']).toMatch(/cannot be decoded/);
  });

  it('finds byte-identical copies, and flags the one labelled as two classes', () => {
    expect(report.duplicates.map((g) => [sorted(g.files), g.crossClass])).toEqual(expect.arrayContaining([
      [sorted(planted.sameClassCopy), false],
      [sorted(planted.crossClassCopy), true],
    ]));
    expect(report.duplicates).toHaveLength(2);
    expect(report.findings[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('labelled as different classes') });
  });

  it('finds the re-encoded, brightened near-copy, and hardly any other pair among real digits', () => {
    const pair = report.nearDuplicates.find((g) => sorted(g.files).join() === sorted(planted.nearCopy).join());
    expect(pair).toBeDefined();
    expect(pair!.distance).toBeLessThanOrEqual(3);
    // Of ~4,000 pairs of real handwritten digits, at most a couple of strokes are drawn
    // almost identically (two slanted "1"s, say); those are worth a look too.
    const others = report.nearDuplicates.filter((g) => g !== pair);
    expect(others.length).toBeLessThanOrEqual(2);
  });

  it('counts copies that straddle the split as leakage, consistently with the groups', () => {
    const straddling = [...report.duplicates, ...report.nearDuplicates].filter((g) => g.splits.length > 1).length;
    expect(report.leakage).toBe(straddling);
    if (straddling > 0) expect(report.findings.some((f) => f.message.includes('on both sides of the split'))).toBe(true);
  });

  it('reports sizes and channel layouts, and warns about imbalance and the tiny class', () => {
    expect(report.sizes[0]).toEqual({ size: '28×28', count: 91 });
    expect(report.sizes).toContainEqual({ size: '40×30', count: 1 });
    expect(report.channels).toEqual(expect.arrayContaining([{ layout: 'grey', count: 90 }, { layout: 'rgba', count: 1 }]));
    const messages = report.findings.map((f) => f.message).join('\n');
    expect(messages).toMatch(/imbalanced: "1" has 43 images, "7" 9/);
    expect(messages).toMatch(/Class "7" has only 9 image/);
    expect(messages).toMatch(/3 file\(s\) will be skipped/);
  });
});
