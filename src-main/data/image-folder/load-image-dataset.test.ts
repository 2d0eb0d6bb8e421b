import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../../engine/testing/write-digit-folder.ts';
import { decodeImageFile } from './decode-image.ts';
import { absolutePath } from './list-image-folder.ts';
import { readAll, type DataSplit, type LoadedDataset } from '../loaded-dataset.ts';
import { loadImageDataset } from './load-image-dataset.ts';

type ImageDataset = LoadedDataset;
const classesOf = (ds: LoadedDataset): string[] => (ds.targets.type === 'classes' ? ds.targets.classes : []);
import { makeTempDir, solidImage, truncatedPng, writeFile } from './test-image-files.ts';

const temp = makeTempDir('load');
afterAll(temp.remove);

const config = (dir: string, more: { seed?: number; validationSplit?: number; imageSize?: [number, number]; channels?: 1 | 3 } = {}) =>
  ({ path: dir, imageSize: [28, 28] as [number, number], channels: 1 as const, validationSplit: 0.2, seed: 42, ...more });

/** file → 'train' | 'validation', for comparing splits across loads. */
function sides(ds: ImageDataset): Map<string, 'train' | 'validation'> {
  return new Map([...ds.train.ids.map((f) => [f, 'train'] as const), ...ds.validation.ids.map((f) => [f, 'validation'] as const)]);
}

function sample(split: DataSplit, index: number, size: number): Float32Array {
  return readAll(split.x).subarray(index * size, (index + 1) * size);
}

describe('loadImageDataset on a folder of mixed images', () => {
  const mixed = path.join(temp.dir, 'mixed');
  const colours: Record<string, number[]> = {
    'red/a.png': [220, 20, 20], 'red/b.jpg': [200, 30, 40], 'red/c.webp': [250, 0, 0], 'red/deep/d.png': [180, 10, 10, 255],
    'grey/e.png': [77], 'grey/f.tif': [150], 'grey/g.gif': [30, 30, 30], 'grey/h.png': [0, 0, 0, 0],
  };
  let ds: ImageDataset;
  beforeAll(async () => {
    let i = 0;
    for (const [rel, colour] of Object.entries(colours)) {
      const ext = path.extname(rel).slice(1);
      const format = ext === 'jpg' ? 'jpeg' : ext === 'tif' ? 'tiff' : (ext as 'png' | 'webp' | 'gif');
      writeFile(mixed, rel, await solidImage({ width: 10 + 7 * i, height: 40 - 3 * i, colour, format }));
      i++;
    }
    writeFile(mixed, 'red/notes.txt', 'not an image');
    writeFile(mixed, 'grey/zero.png', Buffer.alloc(0));
    writeFile(mixed, 'grey/cut.png', await truncatedPng());
    ds = await loadImageDataset(config(mixed, { imageSize: [5, 7], channels: 3 }));
  });

  it('resizes every image to [h, w] × channels, labels it by folder, and skips bad files with reasons', () => {
    const all = [...ds.train.ids.map((f, k) => [f, ds.train.y[k]]), ...ds.validation.ids.map((f, k) => [f, ds.validation.y[k]])];
    expect({
      classes: classesOf(ds),
      imageSize: ds.sampleShape.slice(0, 2),
      channels: ds.sampleShape[2],
      counts: [ds.train.count, ds.validation.count, readAll(ds.train.x).length + readAll(ds.validation.x).length],
      labelled: Object.fromEntries(all.sort()),
      skipped: ds.skipped.map((s) => [s.file, s.reason.replace(/ \(.*$|;.*$/, '')]),
    }).toEqual({
      classes: ['grey', 'red'],
      imageSize: [5, 7],
      channels: 3,
      counts: [ds.train.count, 8 - ds.train.count, 8 * 5 * 7 * 3],
      labelled: { 'grey/e.png': 0, 'grey/f.tif': 0, 'grey/g.gif': 0, 'grey/h.png': 0, 'red/a.png': 1, 'red/b.jpg': 1, 'red/c.webp': 1, 'red/deep/d.png': 1 },
      skipped: [['grey/cut.png', 'cannot be decoded'], ['grey/zero.png', 'empty file'], ['red/notes.txt', 'not an image file']],
    });
  });

  it('holds each image’s own colour (transparent onto white) in every pixel', () => {
    const size = 5 * 7 * 3;
    const worst: Record<string, number> = {};
    for (const split of [ds.train, ds.validation]) {
      split.ids.forEach((file, k) => {
        const c = colours[file]!;
        const rgb = c.length === 4 && c[3] === 0 ? [255, 255, 255] : c.length <= 2 ? [c[0]!, c[0]!, c[0]!] : c.slice(0, 3);
        const pixels = sample(split, k, size);
        worst[file] = Math.max(...Array.from(pixels, (v, i) => Math.abs(v * 255 - rgb[i % 3]!)));
      });
    }
    expect(Object.values(worst).every((e) => e <= 3), JSON.stringify(worst)).toBe(true);
  });

  it('decodes a single file exactly as the dataset did', async () => {
    const size = 5 * 7 * 3;
    for (const split of [ds.train, ds.validation]) {
      for (const [k, file] of split.ids.entries()) {
        expect(await decodeImageFile(absolutePath(mixed, file), [5, 7], 3)).toEqual(sample(split, k, size));
      }
    }
  });
});

describe('the split is stable and seeded', () => {
  const small = path.join(temp.dir, 'digits-20');
  const grown = path.join(temp.dir, 'digits-30');
  beforeAll(async () => {
    // The same seed writes the same first 20 digits per class, so `grown` is `small` plus 10 new files per class.
    await writeDigitFolder(small, { perClass: 20, seed: 5 });
    await writeDigitFolder(grown, { perClass: 30, seed: 5 });
  });

  it('keeps every existing file on its side when files are added; same seed, same split; another seed, another split', async () => {
    const progress: Array<[number, number]> = [];
    const before = await loadImageDataset(config(small), { onProgress: (done, total) => progress.push([done, total]) });
    const again = await loadImageDataset(config(small));
    const after = await loadImageDataset(config(grown));
    const otherSeed = await loadImageDataset(config(small, { seed: 7 }));

    const afterSides = sides(after);
    const moved = [...sides(before)].filter(([file, side]) => afterSides.get(file) !== side);
    expect({
      moved,
      sameSeed: [again.train.ids, again.validation.ids],
      otherSeedDiffers: otherSeed.validation.ids.join() !== before.validation.ids.join(),
      lastProgress: progress.at(-1),
    }).toEqual({
      moved: [],
      sameSeed: [before.train.ids, before.validation.ids],
      otherSeedDiffers: true,
      lastProgress: [200, 200],
    });
    // Roughly the asked-for share, and every class on both sides.
    expect(after.validation.count / 300).toBeGreaterThan(0.12);
    expect(after.validation.count / 300).toBeLessThan(0.28);
    expect(new Set(before.validation.y).size).toBe(10);
    expect(new Set(before.train.y).size).toBe(10);
  });

  it('keeps at least one validation and one training image in every class of two or more', async () => {
    const tiny = path.join(temp.dir, 'tiny');
    const classes = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const [i, cls] of classes.entries()) {
      for (let k = 0; k < (cls === 'f' ? 1 : 2); k++) {
        writeFile(tiny, `${cls}/${k}.png`, await solidImage({ width: 4, height: 4, colour: [i * 40 + k] }));
      }
    }
    const low = await loadImageDataset(config(tiny, { validationSplit: 0.05, imageSize: [4, 4] }));
    const high = await loadImageDataset(config(tiny, { validationSplit: 0.5, imageSize: [4, 4] }));
    const perClass = (ds: ImageDataset) => classesOf(ds).map((_, c) => [
      ds.train.y.filter((l) => l === c).length,
      ds.validation.y.filter((l) => l === c).length,
    ]);
    // Classes a–e have two images: one on each side whatever the share; f has one, which trains.
    expect([perClass(low), perClass(high)]).toEqual([
      [[1, 1], [1, 1], [1, 1], [1, 1], [1, 1], [1, 0]],
      [[1, 1], [1, 1], [1, 1], [1, 1], [1, 1], [1, 0]],
    ]);
  });
});
