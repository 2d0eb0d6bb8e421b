import fs from 'node:fs';
import path from 'node:path';
import type { DataPurpose, ImageDataConfig } from '../../../src-shared/contract/data-config.ts';
import { mapWithConcurrency } from '../map-with-concurrency.ts';
import { memorySplit, type DataSplit, type LoadedDataset } from '../loaded-dataset.ts';
import {
  DiskSampleStore, memoryBudgetBytes, readCacheIndex, SampleCacheWriter, sampleCacheKey, sampleCacheRoot,
} from '../sample-cache.ts';
import { findDatasetProblem } from './dataset-problems.ts';
import { bytesToPixels, decodeImageBytes, IMAGE_IO_CONCURRENCY } from './decode-image.ts';
import type { SkippedFile } from './image-file-problems.ts';
import { absolutePath, asOneSet, compareNames, listEveryImage, listImageFolder, type ImageFolderListing } from './list-image-folder.ts';
import { listLabelledImages } from './list-labelled-images.ts';
import { assignSplits, type SplitName } from './stable-split.ts';

export type ImageLoadConfig = Pick<ImageDataConfig, 'path' | 'imageSize' | 'channels' | 'validationSplit' | 'seed'>
  & Partial<Pick<ImageDataConfig, 'testSplit' | 'labels' | 'augmentation' | 'storage'>>;

export interface LoadImageDatasetOptions {
  /** Called as images are decoded, about a hundred times over the whole load. */
  onProgress?: (decoded: number, total: number) => void;
  /** `gan`: the images as one class, labels unused (see `listImages`). */
  purpose?: DataPurpose;
}

/** One listed file: its class, its path relative to the root, and its row in the decode order. */
interface Job { classIndex: number; rel: string; row: number }
/** What decoding left of each job: usable (`ok`) or skipped with why. In the cache index too. */
type Outcome = { ok: true } | { ok: false; reason: string };

/**
 * The images of a dataset: a folder per class, or a flat folder labelled by a CSV. For a GAN,
 * one set: the images the labels CSV lists (labels unused), or else every image under the folder.
 */
export async function listImages(config: Pick<ImageLoadConfig, 'path' | 'labels'>, purpose: DataPurpose = 'classifier'): Promise<ImageFolderListing> {
  if (purpose === 'gan') return config.labels ? asOneSet(await listLabelledImages(config.path, config.labels)) : listEveryImage(config.path);
  return config.labels ? listLabelledImages(config.path, config.labels) : listImageFolder(config.path);
}

/**
 * Decodes a folder of images into train / validation / test samples. Each file's side is
 * fixed by a hash of (seed, class, path), so adding files later leaves every existing file
 * where it was. Undecodable files are skipped, not fatal. Decoded samples stay in memory,
 * or — `storage: 'disk'`, or `auto` when they would take more than the memory budget — go
 * to the decoded-sample cache on disk and are streamed in batches while training; an
 * unchanged folder reuses its cache instead of decoding again. Throws DataImportError
 * (NOT_FOUND, NOT_A_FOLDER, NO_CLASS_FOLDERS, NO_IMAGES, TOO_FEW_CLASSES, EMPTY_CLASS — an
 * empty class is refused, dropping it would change the model's outputs behind one's back).
 * For a GAN (`options.purpose`) the images are one class and only NO_IMAGES can refuse them.
 */
export async function loadImageDataset(config: ImageLoadConfig, options: LoadImageDatasetOptions = {}): Promise<LoadedDataset> {
  const purpose = options.purpose ?? 'classifier';
  const listing = await listImages(config, purpose);
  const jobs: Job[] = listing.classes.flatMap((cls, classIndex) => cls.files.map((rel) => ({ classIndex, rel }))).map((j, row) => ({ ...j, row }));
  const [h, w] = config.imageSize;
  const sampleSize = h * w * config.channels;
  const useDisk = config.storage === 'disk' || (config.storage === 'auto' && jobs.length * sampleSize * 4 > memoryBudgetBytes());

  const decoded = useDisk ? await decodeToCache(listing, jobs, config, options) : await decodeToMemory(listing, jobs, config, options);
  const skipped: SkippedFile[] = [...listing.skipped];
  jobs.forEach((job, i) => { const o = decoded.outcomes[i]!; if (!o.ok) skipped.push({ file: job.rel, reason: o.reason }); });
  skipped.sort((a, b) => compareNames(a.file, b.file));

  const byClass = listing.classes.map((): Job[] => []);
  jobs.forEach((job, i) => { if (decoded.outcomes[i]!.ok) byClass[job.classIndex]!.push(job); });
  const problem = findDatasetProblem(listing.root, listing.classes.map((c, i) => ({ name: c.name, count: byClass[i]!.length })), skipped, purpose);
  if (problem) throw problem;

  const sides: Record<SplitName, Job[]> = { train: [], validation: [], test: [] };
  listing.classes.forEach((cls, i) => {
    const files = byClass[i]!;
    const keys = files.map((f) => (f.rel.startsWith(`${cls.name}/`) ? f.rel.slice(cls.name.length + 1) : f.rel));
    assignSplits(cls.name, keys, config.validationSplit, config.testSplit ?? 0, config.seed).forEach((side, k) => sides[side].push(files[k]!));
  });
  const toSplit = (list: readonly Job[]): DataSplit => {
    const y = Int32Array.from(list, (j) => j.classIndex);
    const ids = list.map((j) => j.rel);
    if (decoded.cacheFile) return { x: new DiskSampleStore(decoded.cacheFile, sampleSize, Int32Array.from(list, (j) => j.row)), y, ids, count: list.length };
    const x = new Float32Array(list.length * sampleSize);
    list.forEach((j, k) => bytesToPixels(decoded.bytes![j.row]!, x, k * sampleSize));
    return memorySplit(x, sampleSize, y, ids);
  };
  return {
    kind: 'image-folder',
    sampleShape: [h, w, config.channels],
    targets: { type: 'classes', classes: listing.classes.map((c) => c.name) },
    train: toSplit(sides.train), validation: toSplit(sides.validation), test: toSplit(sides.test),
    skipped,
    preprocessing: { kind: 'image', imageSize: [h, w], channels: config.channels },
    augmentation: config.augmentation ?? null,
  };
}

interface Decoded {
  outcomes: Outcome[];
  /** In memory: each job's bytes (kept as bytes, floats for every file would need 4× the memory). */
  bytes?: (Uint8Array | null)[];
  /** On disk: the cache file, one row per job. */
  cacheFile?: string;
}

function progress(total: number, options: LoadImageDatasetOptions): () => void {
  const step = Math.max(1, Math.floor(total / 100));
  let done = 0;
  return () => {
    done++;
    if (options.onProgress && (done % step === 0 || done === total)) options.onProgress(done, total);
  };
}

async function decodeToMemory(listing: ImageFolderListing, jobs: Job[], config: ImageLoadConfig, options: LoadImageDatasetOptions): Promise<Decoded> {
  const tick = progress(jobs.length, options);
  const results = await mapWithConcurrency(jobs, IMAGE_IO_CONCURRENCY, async (job) => {
    const outcome = await decodeImageBytes(absolutePath(listing.root, job.rel), config.imageSize, config.channels);
    tick();
    return outcome;
  });
  return {
    outcomes: results.map((r): Outcome => (r.ok ? { ok: true } : { ok: false, reason: r.reason })),
    bytes: results.map((r) => (r.ok ? r.bytes : null)),
  };
}

/** Decodes straight into the cache file (nothing accumulates in memory), or reuses a finished one. */
async function decodeToCache(listing: ImageFolderListing, jobs: Job[], config: ImageLoadConfig, options: LoadImageDatasetOptions): Promise<Decoded> {
  const [h, w] = config.imageSize;
  const sampleSize = h * w * config.channels;
  const fingerprint = jobs.map((j) => {
    const s = fs.statSync(absolutePath(listing.root, j.rel), { throwIfNoEntry: false });
    return [j.rel, s?.size ?? -1, s?.mtimeMs ?? -1];
  });
  const key = sampleCacheKey({ version: 1, root: listing.root, imageSize: [h, w], channels: config.channels, fingerprint });
  const cacheFile = path.join(sampleCacheRoot(), key, 'samples.u8');
  const cached = readCacheIndex(cacheFile);
  if (Array.isArray(cached) && cached.length === jobs.length) {
    options.onProgress?.(jobs.length, jobs.length);
    return { outcomes: cached as Outcome[], cacheFile };
  }
  const writer = new SampleCacheWriter(cacheFile, sampleSize);
  const tick = progress(jobs.length, options);
  try {
    const outcomes = await mapWithConcurrency(jobs, IMAGE_IO_CONCURRENCY, async (job): Promise<Outcome> => {
      const outcome = await decodeImageBytes(absolutePath(listing.root, job.rel), config.imageSize, config.channels);
      tick();
      if (!outcome.ok) return { ok: false, reason: outcome.reason };
      writer.write(job.row, outcome.bytes);
      return { ok: true };
    });
    writer.finish(outcomes);
    return { outcomes, cacheFile };
  } catch (err) {
    writer.abandon();
    throw err;
  }
}
