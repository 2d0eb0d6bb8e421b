import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetScanSchema } from '../../../src-shared/contract/commands.ts';
import { ImageHealthReportSchema } from '../../../src-shared/contract/data-health.ts';
import { scanDataset } from '../dataset-scan.ts';
import { datasetHealth } from '../dataset-health.ts';
import { readAll, type LoadedDataset } from '../loaded-dataset.ts';
import { loadImageDataset } from './load-image-dataset.ts';
import { makeTempDir, solidImage, writeFile } from './test-image-files.ts';

// An image folder read for a GAN (`purpose: 'gan'`): every image under it, in the layouts
// people have — flat, one sub-folder, a sub-folder per class, flat beside a labels CSV —
// decoded by the same loader as a classifier's; and the classifier still refuses what it refused.
const temp = makeTempDir('gan-purpose');
afterAll(temp.remove);
const at = (name: string): string => path.join(temp.dir, name);

const config = (dir: string, csv?: string) => ({
  path: dir, imageSize: [4, 4] as [number, number], channels: 1 as const, validationSplit: 0.2, seed: 42, labels: csv ? { csv } : null,
});
const loadForGan = (dir: string, csv?: string) => loadImageDataset(config(dir, csv), { purpose: 'gan' });

const classesOf = (ds: LoadedDataset): string[] => (ds.targets.type === 'classes' ? ds.targets.classes : []);

/** Every sample's id and its first pixel (the solid images' grey level, 0–255), over all splits. */
function pixelsById(ds: LoadedDataset): Record<string, number> {
  const size = 4 * 4;
  const out: Record<string, number> = {};
  for (const split of [ds.train, ds.validation, ds.test]) {
    const x = readAll(split.x);
    split.ids.forEach((id, k) => { out[id] = Math.round(x[k * size]! * 255); });
  }
  return out;
}

async function grey(level: number): Promise<Buffer> {
  return solidImage({ width: 6 + (level % 5), height: 5, colour: [level] });
}

beforeAll(async () => {
  for (let i = 0; i < 5; i++) writeFile(at('flat'), `face-${i}.png`, await grey(10 * (i + 1)));
  writeFile(at('flat'), '.DS_Store', 'hidden');
  for (let i = 0; i < 4; i++) writeFile(at('one-class'), `cats/cat-${i}.png`, await grey(100 + i));
  for (const [cls, level] of [['a', 20], ['b', 40], ['c', 60]] as const) {
    for (let i = 0; i < 2; i++) writeFile(at('classes'), `${cls}/${i}.png`, await grey(level + i));
  }
  for (let i = 0; i < 3; i++) writeFile(at('with-csv'), `img${i}.png`, await grey(200 + i));
  writeFile(at('with-csv'), 'labels.csv', 'file,label\nimg0.png,x\nimg1.png,y\n');
  writeFile(at('empty'), '.keep', '');
  writeFile(at('no-images'), 'notes.txt', 'not an image');
});

describe('an image folder read for a GAN', () => {
  it('loads a flat folder of images: every image, decoded and resized by the image loader, as one set', async () => {
    const ds = await loadForGan(at('flat'));
    expect({ classes: ds.targets, shape: ds.sampleShape, pixels: pixelsById(ds), skipped: ds.skipped }).toEqual({
      classes: { type: 'classes', classes: ['flat'] },
      shape: [4, 4, 1],
      pixels: { 'face-0.png': 10, 'face-1.png': 20, 'face-2.png': 30, 'face-3.png': 40, 'face-4.png': 50 },
      skipped: [],
    });
  });

  it('loads a folder with a single sub-folder, one with a sub-folder per class (joined), and a flat one beside a labels CSV', async () => {
    const [oneClass, classes, listed, unlisted] = await Promise.all([
      loadForGan(at('one-class')), loadForGan(at('classes')), loadForGan(at('with-csv'), 'labels.csv'), loadForGan(at('with-csv')),
    ]);
    expect({
      oneClass: pixelsById(oneClass), classes: [classesOf(classes), pixelsById(classes)],
      listed: [classesOf(listed), pixelsById(listed), listed.skipped.map((s) => s.file)], unlisted: [pixelsById(unlisted), unlisted.skipped.map((s) => s.file)],
    }).toEqual({
      oneClass: { 'cats/cat-0.png': 100, 'cats/cat-1.png': 101, 'cats/cat-2.png': 102, 'cats/cat-3.png': 103 },
      classes: [['classes'], { 'a/0.png': 20, 'a/1.png': 21, 'b/0.png': 40, 'b/1.png': 41, 'c/0.png': 60, 'c/1.png': 61 }],
      // With its labels CSV: the images it lists, their labels (x, y) joined into one set; the unlisted one is skipped, as for a classifier.
      listed: [['with-csv'], { 'img0.png': 200, 'img1.png': 201 }, ['img2.png']],
      // Without it: every image; the CSV is not one.
      unlisted: [{ 'img0.png': 200, 'img1.png': 201, 'img2.png': 202 }, ['labels.csv']],
    });
  });

  it('refuses a folder without readable images, naming it and saying what to put there', async () => {
    await expect(loadForGan(at('empty'))).rejects.toMatchObject({
      code: 'NO_IMAGES', path: at('empty'), message: expect.stringMatching(/has no usable images\. Put the .* images the GAN should learn from in it/),
    });
    await expect(loadForGan(at('no-images'))).rejects.toMatchObject({
      code: 'NO_IMAGES', message: expect.stringMatching(/all 1 file\(s\) were skipped \(e\.g\. "notes\.txt": not an image file/),
    });
    await expect(loadForGan(at('missing'))).rejects.toMatchObject({ code: 'NOT_FOUND', path: at('missing') });
  });

  it('scans and health-checks a flat folder as the GAN will read it, with nothing held out', async () => {
    const scan = DatasetScanSchema.parse(await scanDataset({ path: at('flat'), purpose: 'gan' }));
    const csvScan = DatasetScanSchema.parse(await scanDataset({ path: at('with-csv'), purpose: 'gan' }));
    const health = ImageHealthReportSchema.parse(await datasetHealth({ ...config(at('flat')), kind: 'image-folder', testSplit: 0, augmentation: null, storage: 'auto' }, 'gan'));
    expect({
      scan: scan.kind === 'image-folder' && [scan.purpose, scan.total, scan.classes.map((c) => [c.name, c.count, c.thumbnails.length])],
      csvScan: csvScan.kind === 'image-folder' && [csvScan.labelsCsv, csvScan.total],
      health: [health.total, health.classes, health.leakage, health.findings.map((f) => f.severity)],
    }).toEqual({
      scan: ['gan', 5, [['flat', 5, 3]]],
      // The CSV found beside the images says which of them to use (as the loader reads them for the window's config).
      csvScan: ['labels.csv', 2],
      // No error: five images are few for a GAN (a warning), and solid greys look alike (info).
      health: [5, [{ name: 'flat', count: 5, train: 5, validation: 0, test: 0 }], 0, ['warning', 'info']],
    });
  });
});

describe('the same folders read for a classifier (unchanged)', () => {
  it('refuses one class, a flat folder without a labels CSV, and scans without a purpose', async () => {
    await expect(loadImageDataset(config(at('one-class')))).rejects.toMatchObject({
      code: 'TOO_FEW_CLASSES', message: expect.stringMatching(/only one class folder \("cats"\); a classifier needs at least 2 classes/),
    });
    await expect(loadImageDataset(config(at('flat')))).rejects.toMatchObject({ code: 'NO_CLASS_FOLDERS', path: at('flat') });
    await expect(scanDataset({ path: at('flat') })).rejects.toMatchObject({ code: 'NO_CLASS_FOLDERS' });
    await expect(loadImageDataset(config(at('empty')))).rejects.toMatchObject({ code: 'NO_CLASS_FOLDERS' });
    const scan = await scanDataset({ path: at('classes') });
    expect(scan.kind === 'image-folder' && ['purpose' in scan, scan.classes.map((c) => c.name)]).toEqual([false, ['a', 'b', 'c']]);
  });
});
