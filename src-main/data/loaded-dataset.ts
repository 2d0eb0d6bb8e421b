import type { DataKind, Augmentation } from '../../src-shared/contract/data-config.ts';
import type { Preprocessing, Targets } from '../../src-shared/contract/preprocessing.ts';
import type { SkippedFile } from './image-folder/image-file-problems.ts';

/** A file or row the import left out, with why (shown in the report and the Data panel). */
export type SkippedItem = SkippedFile;

/**
 * The samples of one split, read in batches. In memory for most datasets; streamed from
 * the decoded-sample cache on disk for datasets larger than memory (DiskSampleStore).
 */
export interface SampleStore {
  readonly count: number;
  /** Floats per sample (the product of the dataset's sampleShape). */
  readonly sampleSize: number;
  /** Copies the samples at `indices`, back to back, into the start of `out`. */
  gather(indices: ArrayLike<number>, out: Float32Array): void;
  /** Starts reading these samples ahead (a disk store, on another thread); the next gather of them is then a copy. */
  prefetch?(indices: ArrayLike<number>): void;
  /** Releases the file handle of a disk store; a no-op in memory. */
  close(): void;
}

export interface DataSplit {
  x: SampleStore;
  /** Classification: the class index of each sample. Regression: `count × outputs` values (standardised). */
  y: Int32Array | Float32Array;
  /** What each sample is, for people: a file relative to the dataset (`cat/1.png`), `row 12`, `rows 10–33`. */
  ids: string[];
  count: number;
}

/** Any kind of dataset, as training sees it: fixed-shape float samples and their targets. */
export interface LoadedDataset {
  kind: DataKind;
  /** The shape of one sample (what the model's Input must be). */
  sampleShape: number[];
  targets: Targets;
  train: DataSplit;
  validation: DataSplit;
  test: DataSplit;
  skipped: SkippedItem[];
  /** How raw inputs become samples (saved with the run so predictions prepare inputs the same way). */
  preprocessing: Preprocessing;
  /** Applied on the fly to training batches only; images only. */
  augmentation: Augmentation | null;
}

/** A SampleStore over one Float32Array in memory. */
export class MemorySampleStore implements SampleStore {
  readonly count: number;
  constructor(readonly data: Float32Array, readonly sampleSize: number) {
    this.count = sampleSize === 0 ? 0 : data.length / sampleSize;
  }

  gather(indices: ArrayLike<number>, out: Float32Array): void {
    const size = this.sampleSize;
    for (let i = 0; i < indices.length; i++) {
      const s = indices[i]!;
      out.set(this.data.subarray(s * size, (s + 1) * size), i * size);
    }
  }

  close(): void {}
}

export function memorySplit(x: Float32Array, sampleSize: number, y: Int32Array | Float32Array, ids: string[]): DataSplit {
  return { x: new MemorySampleStore(x, sampleSize), y, ids, count: ids.length };
}

/** All of a split's samples in one array (for evaluation or small stores); reads a disk store fully. */
export function readAll(store: SampleStore): Float32Array {
  if (store instanceof MemorySampleStore) return store.data;
  const out = new Float32Array(store.count * store.sampleSize);
  store.gather(Int32Array.from({ length: store.count }, (_, i) => i), out);
  return out;
}

export function outputsPerSample(targets: Targets): number {
  return targets.type === 'classes' ? targets.classes.length : targets.columns.length;
}
