import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { makeTempDir, solidImage, writeFile } from '../../data/image-folder/test-image-files.ts';
import { loadGanImages, loadGanImagesOf } from './gan-images.ts';

// The GAN's two ways in — `strata gan-train --data` and the window's data config — on the
// folders a person points a GAN at: images of one kind, flat or in one sub-folder.
const temp = makeTempDir('gan-images');
afterAll(temp.remove);
const flat = path.join(temp.dir, 'flat');
const nested = path.join(temp.dir, 'nested');

beforeAll(async () => {
  for (let i = 0; i < 3; i++) writeFile(flat, `${i}.png`, await solidImage({ width: 9, height: 7, colour: [51 * (i + 1)] }));
  writeFile(flat, 'labels.csv', 'file,label\n0.png,a\n1.png,a\n2.png,b\n');
  for (let i = 0; i < 2; i++) writeFile(nested, `shoes/${i}.jpg`, await solidImage({ width: 8, height: 8, colour: [255, 0, 0], format: 'jpeg' }));
});

describe('the images a GAN learns from', () => {
  it('reads a flat folder beside a labels CSV from the CLI path: every image it lists, in [0, 1], at the size and channels asked for', async () => {
    const images = await loadGanImages(flat, { imageSize: [4, 4], channels: 1 });
    // Joined from the loader's splits, so in no particular order.
    expect({ count: images.count, shape: images.shape, source: images.source, firsts: [0, 1, 2].map((k) => images.pixels[k * 16]!).sort() })
      .toEqual({ count: 3, shape: [4, 4, 1], source: flat, firsts: [0.2, 0.4, 0.6].map(Math.fround) });
  });

  it("reads a single sub-folder from the window's data config, its split unused", async () => {
    const config = ImageDataConfigSchema.parse({ kind: 'image-folder', path: nested, imageSize: [4, 4], channels: 3, validationSplit: 0.5 });
    const images = await loadGanImagesOf(config);
    expect({ count: images.count, shape: images.shape, length: images.pixels.length }).toEqual({ count: 2, shape: [4, 4, 3], length: 2 * 48 });
    // A red JPEG stays red (within JPEG's error) through the shared decoder.
    expect(Array.from(images.pixels.subarray(0, 3), (v) => Math.round(v * 10) / 10)).toEqual([1, 0, 0]);
  });

  it('refuses a folder with no images, naming it', async () => {
    const empty = path.join(temp.dir, 'empty');
    writeFile(empty, 'readme.md', 'no pictures here');
    await expect(loadGanImages(empty)).rejects.toMatchObject({ code: 'NO_IMAGES', message: expect.stringContaining(`"${empty}" has no usable images`) });
  });
});
