import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDigitFolder } from '../../engine/testing/write-digit-folder.ts';
import { readAll } from '../loaded-dataset.ts';
import { DiskSampleStore } from '../sample-cache.ts';
import { listLabelledImages } from './list-labelled-images.ts';
import { loadImageDataset } from './load-image-dataset.ts';
import { makeTempDir } from './test-image-files.ts';

const temp = makeTempDir('labelled');
let digits: string;
let flat: string;
const cacheBefore = process.env.STRATA_CACHE_DIR;

beforeAll(async () => {
  digits = path.join(temp.dir, 'digits');
  await writeDigitFolder(digits, { perClass: 12, seed: 2 });
  flat = path.join(temp.dir, 'flat');
  fs.mkdirSync(flat);
  const rows = ['image,class'];
  for (const d of ['3', '8']) {
    for (const name of fs.readdirSync(path.join(digits, d))) {
      fs.copyFileSync(path.join(digits, d, name), path.join(flat, name));
      rows.push(`${name},${d === '3' ? 'three' : 'eight'}`);
    }
  }
  fs.copyFileSync(path.join(digits, '5', fs.readdirSync(path.join(digits, '5'))[0]!), path.join(flat, 'unlabelled.png'));
  fs.symlinkSync(path.join(digits, '1', fs.readdirSync(path.join(digits, '1'))[0]!), path.join(flat, 'link-out.png'));
  rows.push('gone.png,three', '../digits/0/0-00.png,eight', '/etc/passwd,eight', 'link-out.png,three', '3-00.png,eight', 'notes.txt,three', '3-01.png,');
  fs.writeFileSync(path.join(flat, 'labels.csv'), rows.join('\n'));
  process.env.STRATA_CACHE_DIR = path.join(temp.dir, 'cache');
});
afterAll(() => {
  if (cacheBefore === undefined) delete process.env.STRATA_CACHE_DIR;
  else process.env.STRATA_CACHE_DIR = cacheBefore;
  temp.remove();
});

describe('a flat folder of images labelled by a CSV', () => {
  it('lists each labelled image under its class and names every row or file it leaves out', async () => {
    const listing = await listLabelledImages(flat, { csv: 'labels.csv' });
    expect(listing.classes.map((c) => [c.name, c.files.length])).toEqual([['eight', 12], ['three', 12]]);
    const reasons = Object.fromEntries(listing.skipped.map((s) => [s.file.replace(/^labels\.csv row \d+ /, ''), s.reason]));
    expect(reasons).toEqual({
      '(gone.png)': 'the file gone.png does not exist in the folder',
      '(../digits/0/0-00.png)': expect.stringContaining('outside the image folder'),
      '(/etc/passwd)': expect.stringContaining('outside the image folder'),
      '(link-out.png)': expect.stringContaining('symbolic link leading outside'),
      '(3-00.png)': 'names a file an earlier row already labelled; the first row counts',
      '(notes.txt)': expect.stringContaining('not an image file'),
      '(3-01.png)': 'has no label',
      'unlabelled.png': 'no row of labels.csv labels it',
    });
  });

  it('names the columns when the CSV has no file column', async () => {
    fs.writeFileSync(path.join(flat, 'bad.csv'), 'x,class\n3-00.png,three\n');
    await expect(listLabelledImages(flat, { csv: 'bad.csv' })).rejects.toThrow(/no column "file" \(the file column\)\. Its columns are: "x", "class"/);
  });
});

describe('the decoded-sample cache on disk', () => {
  it('streams exactly the samples memory holds, and reuses the cache for an unchanged folder', async () => {
    const config = { path: digits, imageSize: [28, 28] as [number, number], channels: 1 as const, validationSplit: 0.25, testSplit: 0.1, seed: 4 };
    const memory = await loadImageDataset({ ...config, storage: 'memory' });
    let firstCalls = 0;
    const disk = await loadImageDataset({ ...config, storage: 'disk' }, { onProgress: () => firstCalls++ });
    expect(disk.train.x).toBeInstanceOf(DiskSampleStore);
    for (const side of ['train', 'validation', 'test'] as const) {
      expect(disk[side].ids).toEqual(memory[side].ids);
      expect(readAll(disk[side].x)).toEqual(readAll(memory[side].x));
    }
    // Shuffled reads (not consecutive rows) give the same samples as memory.
    const order = [5, 0, 17, 3, 3];
    const fromDisk = new Float32Array(order.length * 784);
    const fromMemory = new Float32Array(order.length * 784);
    disk.train.x.gather(order, fromDisk);
    memory.train.x.gather(order, fromMemory);
    expect(fromDisk).toEqual(fromMemory);
    // Read ahead on the worker thread: the same samples arrive; a different request is read directly.
    const ahead = new Float32Array(order.length * 784);
    disk.train.x.prefetch!(order);
    disk.train.x.gather(order, ahead);
    expect(ahead).toEqual(fromMemory);
    const other = [1, 2];
    disk.train.x.prefetch!(order);
    const direct = new Float32Array(2 * 784);
    const expected = new Float32Array(2 * 784);
    disk.train.x.gather(other, direct);
    memory.train.x.gather(other, expected);
    expect(direct).toEqual(expected);
    let againCalls = 0;
    const again = await loadImageDataset({ ...config, storage: 'disk' }, { onProgress: () => againCalls++ });
    expect({ firstCalls: firstCalls > 10, againCalls }).toEqual({ firstCalls: true, againCalls: 1 }); // nothing decoded again
    expect(readAll(again.validation.x)).toEqual(readAll(memory.validation.x));
    for (const ds of [disk, again]) for (const side of [ds.train, ds.validation, ds.test]) side.x.close();
  });
});
