import type { ImageDataConfig } from '../../../src-shared/contract/project.ts';
import { mapWithConcurrency } from '../map-with-concurrency.ts';
import { findDatasetProblem } from './dataset-problems.ts';
import { bytesToPixels, decodeImageBytes, IMAGE_IO_CONCURRENCY } from './decode-image.ts';
import type { SkippedFile } from './image-file-problems.ts';
import { absolutePath, compareNames, listImageFolder } from './list-image-folder.ts';
import { chooseValidation } from './stable-split.ts';

/** One side of the split, ready for `tf.tensor4d(pixels, [count, h, w, channels])`. */
export interface ImageSplit {
  /** `count × h × w × channels`, row-major, values 0–1. */
  pixels: Float32Array;
  /** Class index (into `ImageDataset.classes`) of each sample. */
  labels: Int32Array;
  /** Each sample's file relative to the dataset folder, `<class>/…`, `/`-separated. */
  files: string[];
  count: number;
}

/** A decoded image-folder dataset. Samples are ordered by class, then by file path. */
export interface ImageDataset {
  /** Class folder names, sorted; a label is an index into this list. */
  classes: string[];
  imageSize: [number, number];
  channels: 1 | 3;
  train: ImageSplit;
  validation: ImageSplit;
  /** Every file in the folder that was not used, with why (same reasons as the scan). */
  skipped: SkippedFile[];
}

export interface LoadImageDatasetOptions {
  /** Called as images are decoded, about a hundred times over the whole load. */
  onProgress?: (decoded: number, total: number) => void;
}

interface DecodedFile {
  classIndex: number;
  rel: string;
  /** Kept as bytes until the end: floats for every file plus the final arrays would need 5× the memory. */
  bytes: Uint8Array;
}

/**
 * Decodes a folder of images (one sub-folder per class) into train and validation tensors'
 * data. Each file's side of the split is fixed by a hash of (seed, class, path), so adding
 * files to the folder later leaves every existing file where it was. Files that cannot be
 * decoded are skipped, not fatal. Throws DataImportError: NOT_FOUND, NOT_A_FOLDER,
 * NO_CLASS_FOLDERS, NO_IMAGES, TOO_FEW_CLASSES, or EMPTY_CLASS when a class folder has no
 * usable image — dropping that class quietly would change the model's outputs behind the
 * person's back. A relative `path` is resolved against the working directory; project files
 * resolve theirs against the project file before calling this.
 */
export async function loadImageDataset(
  config: Pick<ImageDataConfig, 'path' | 'imageSize' | 'channels' | 'validationSplit' | 'seed'>,
  options: LoadImageDatasetOptions = {},
): Promise<ImageDataset> {
  const listing = await listImageFolder(config.path);
  const skipped: SkippedFile[] = [...listing.skipped];
  const jobs = listing.classes.flatMap((cls, classIndex) => cls.files.map((rel) => ({ classIndex, rel })));
  const progressStep = Math.max(1, Math.floor(jobs.length / 100));
  let done = 0;

  const decoded = await mapWithConcurrency(jobs, IMAGE_IO_CONCURRENCY, async ({ classIndex, rel }): Promise<DecodedFile | null> => {
    const outcome = await decodeImageBytes(absolutePath(listing.root, rel), config.imageSize, config.channels);
    done++;
    if (options.onProgress && (done % progressStep === 0 || done === jobs.length)) options.onProgress(done, jobs.length);
    if (!outcome.ok) {
      skipped.push({ file: rel, reason: outcome.reason });
      return null;
    }
    return { classIndex, rel, bytes: outcome.bytes };
  });
  skipped.sort((a, b) => compareNames(a.file, b.file));

  const byClass = listing.classes.map((): DecodedFile[] => []);
  for (const file of decoded) if (file) byClass[file.classIndex]!.push(file);
  const problem = findDatasetProblem(listing.root, listing.classes.map((c, i) => ({ name: c.name, count: byClass[i]!.length })), skipped);
  if (problem) throw problem;

  const train: DecodedFile[] = [];
  const validation: DecodedFile[] = [];
  listing.classes.forEach((cls, i) => {
    const files = byClass[i]!;
    const inValidation = chooseValidation(cls.name, files.map((f) => f.rel.slice(cls.name.length + 1)), config.validationSplit, config.seed);
    files.forEach((f, k) => (inValidation[k] ? validation : train).push(f));
  });

  const [h, w] = config.imageSize;
  const sampleSize = h * w * config.channels;
  return {
    classes: listing.classes.map((c) => c.name),
    imageSize: [h, w],
    channels: config.channels,
    train: toSplit(train, sampleSize),
    validation: toSplit(validation, sampleSize),
    skipped,
  };
}

function toSplit(files: readonly DecodedFile[], sampleSize: number): ImageSplit {
  const pixels = new Float32Array(files.length * sampleSize);
  const labels = new Int32Array(files.length);
  files.forEach((f, k) => {
    bytesToPixels(f.bytes, pixels, k * sampleSize);
    labels[k] = f.classIndex;
  });
  return { pixels, labels, files: files.map((f) => f.rel), count: files.length };
}
