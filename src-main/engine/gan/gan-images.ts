import path from 'node:path';
import { ImageDataConfigSchema, type ImageDataConfig } from '../../../src-shared/contract/data-config.ts';
import { detectDataKind } from '../../data/dataset-health.ts';
import { closeDataset, loadDataset } from '../../data/load-dataset.ts';
import { readAll } from '../../data/loaded-dataset.ts';
import type { GanImages } from './gan-run.ts';

/**
 * Every image under a folder — flat, in one sub-folder or in one sub-folder per class; for a
 * flat folder beside a labels CSV, the images the CSV lists, as the window's Data tab finds
 * them — decoded by Strata's image loader to [0, 1] at the size and channels asked for. A GAN
 * learns from all of them: labels and splits are unused.
 */
export async function loadGanImages(folder: string, { imageSize = [28, 28], channels = 1 }: { imageSize?: [number, number]; channels?: 1 | 3 } = {}): Promise<GanImages> {
  const { labelsCsv } = detectDataKind(folder);
  return loadGanImagesOf(ImageDataConfigSchema.parse({
    kind: 'image-folder', path: folder, imageSize, channels, validationSplit: 0.05, labels: labelsCsv ? { csv: labelsCsv } : null,
  }));
}

/**
 * Every image of an image-folder data config (the window's data panel), at its image size
 * and channels, read as a GAN reads it (`purpose: 'gan'`): one set — every image under the
 * folder, or those its labels CSV lists — so one class or a flat folder will do. All splits
 * are joined, since a GAN has no held-out set; augmentation is dropped (it would teach the
 * generator the augmented images), and the pixels are held in memory because the trainer
 * copies batches out of one array. Throws NOT_FOUND, NOT_A_FOLDER or NO_IMAGES.
 */
export async function loadGanImagesOf(config: ImageDataConfig): Promise<GanImages> {
  const memoryConfig: ImageDataConfig = { ...config, path: path.resolve(config.path), augmentation: null, storage: 'memory' };
  const dataset = await loadDataset(memoryConfig, { purpose: 'gan' });
  try {
    const splits = [dataset.train, dataset.validation, dataset.test];
    const count = splits.reduce((n, s) => n + s.count, 0);
    const [h, w] = memoryConfig.imageSize;
    const sampleSize = h * w * memoryConfig.channels;
    const pixels = new Float32Array(count * sampleSize);
    let offset = 0;
    for (const split of splits) {
      if (split.count === 0) continue;
      pixels.set(readAll(split.x), offset);
      offset += split.count * sampleSize;
    }
    return { pixels, count, shape: [h, w, memoryConfig.channels], source: memoryConfig.path };
  } finally {
    closeDataset(dataset);
  }
}
