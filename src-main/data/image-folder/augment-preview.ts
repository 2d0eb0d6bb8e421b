import type { ImageDataConfig } from '../../../src-shared/contract/data-config.ts';
import { AugmentationSchema } from '../../../src-shared/contract/data-config.ts';
import { augmentBatch } from '../augment/augment-batch.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { bytesToPixels, decodeImageBytes, pixelsToPng } from './decode-image.ts';
import { absolutePath } from './list-image-folder.ts';
import { listImages } from './load-image-dataset.ts';

const PREVIEW_SIDE = 96;

/**
 * The augmentation preview grid: a few images spread over the classes, each as the model
 * sees it and then `variants` times through the same augmentation training applies (with
 * a fixed seed, so the grid does not jump while one slider moves).
 */
export async function augmentPreview(config: ImageDataConfig, images: number, variants: number) {
  const listing = await listImages(config);
  const files = listing.classes.flatMap((c) => c.files.slice(0, Math.ceil(images / listing.classes.length))).slice(0, images);
  const [h, w] = config.imageSize;
  const shape: [number, number, number] = [h, w, config.channels];
  const size = h * w * config.channels;
  const aug = config.augmentation ?? AugmentationSchema.parse({});
  const scale = Math.max(1, Math.floor(PREVIEW_SIDE / Math.max(h, w)));
  const random = seededRandom(config.seed);
  const png = async (pixels: Float32Array) => `data:image/png;base64,${(await pixelsToPng(pixels, h, w, config.channels, scale)).toString('base64')}`;
  const out = [];
  for (const rel of files) {
    const decoded = await decodeImageBytes(absolutePath(listing.root, rel), config.imageSize, config.channels);
    if (!decoded.ok) continue;
    const original = bytesToPixels(decoded.bytes);
    const batch = new Float32Array(variants * size);
    for (let v = 0; v < variants; v++) batch.set(original, v * size);
    augmentBatch(batch, variants, shape, aug, random);
    const augmented = [];
    for (let v = 0; v < variants; v++) augmented.push(await png(batch.subarray(v * size, (v + 1) * size)));
    out.push({ file: rel, original: await png(original), augmented });
  }
  return out;
}
