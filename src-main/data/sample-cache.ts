import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SampleStore } from './loaded-dataset.ts';

/**
 * The decoded-sample cache on disk: every decoded image of a dataset as `sampleSize` bytes
 * (0–255) in one file, at its row. Training streams batches from it, so a dataset many
 * times larger than memory trains with two batches in memory; a later import of the same
 * unchanged files with the same size and colour reuses it instead of decoding again.
 */
export function sampleCacheRoot(): string {
  return path.join(process.env.STRATA_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'strata'), 'decoded');
}

/** A key that changes when any file, its size or time, the image size or the channels change. */
export function sampleCacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** Bytes of decoded samples the engine keeps in memory before it streams from disk instead. */
export function memoryBudgetBytes(): number {
  const mb = Number(process.env.STRATA_DATA_MEMORY_MB);
  return Number.isFinite(mb) && mb > 0 ? mb * 2 ** 20 : os.totalmem() / 4;
}

/** Writes samples at their rows; `finish` renames the file into place so a half-written cache is never read. */
export class SampleCacheWriter {
  private readonly fd: number;
  private readonly temp: string;

  constructor(readonly file: string, readonly sampleSize: number) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.temp = `${file}.${process.pid}.tmp`;
    this.fd = fs.openSync(this.temp, 'w');
  }

  write(row: number, bytes: Uint8Array): void {
    fs.writeSync(this.fd, bytes, 0, this.sampleSize, row * this.sampleSize);
  }

  finish(index: unknown): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.renameSync(this.temp, this.file);
    fs.writeFileSync(`${this.file}.json`, JSON.stringify(index));
  }

  abandon(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
    fs.rmSync(this.temp, { force: true });
  }
}

/** The index written beside a finished cache, or null when there is none (or it is unreadable). */
export function readCacheIndex(file: string): unknown {
  try {
    if (!fs.existsSync(file)) return null;
    return JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Samples of one split read from the cache file as they are needed. Rows that sit next to
 * each other in the file are read with one call, so an unshuffled pass (validation) reads
 * the file in long runs.
 */
export class DiskSampleStore implements SampleStore {
  readonly count: number;
  private fd: number | null;
  private scratch: Uint8Array;

  /** `rows[i]` is the row in the file of this split's sample i. */
  constructor(readonly file: string, readonly sampleSize: number, private readonly rows: Int32Array) {
    this.count = rows.length;
    this.fd = fs.openSync(file, 'r');
    this.scratch = new Uint8Array(sampleSize * 64);
  }

  gather(indices: ArrayLike<number>, out: Float32Array): void {
    if (this.fd === null) throw new Error(`the sample cache ${this.file} was closed`);
    const size = this.sampleSize;
    let i = 0;
    while (i < indices.length) {
      // A run of consecutive rows, at most as long as the scratch buffer holds.
      const first = this.rows[indices[i]!]!;
      let run = 1;
      while (i + run < indices.length && run * size < this.scratch.length && this.rows[indices[i + run]!] === first + run) run++;
      fs.readSync(this.fd, this.scratch, 0, run * size, first * size);
      const offset = i * size;
      for (let k = 0; k < run * size; k++) out[offset + k] = this.scratch[k]! / 255;
      i += run;
    }
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
