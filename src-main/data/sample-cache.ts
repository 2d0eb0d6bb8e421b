import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
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
 * Reads rows of the cache into a shared buffer on a worker thread, while the engine runs
 * the step before: on two cores the next batch is ready when the step ends. Plain
 * JavaScript in a string so it runs the same from sources and from the built bundle.
 */
const PREFETCH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, sampleSize, shared, flag } = workerData;
const fd = fs.openSync(file, 'r');
const out = new Float32Array(shared);
const state = new Int32Array(flag);
const bytes = new Uint8Array(sampleSize);
const scale = 1 / 255;
parentPort.on('message', (rows) => {
  for (let i = 0; i < rows.length; i++) {
    fs.readSync(fd, bytes, 0, sampleSize, rows[i] * sampleSize);
    const o = i * sampleSize;
    for (let k = 0; k < sampleSize; k++) out[o + k] = bytes[k] * scale;
  }
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
});`;

interface Prefetch {
  worker: Worker;
  out: Float32Array;
  state: Int32Array;
  /** The rows asked for, or null when nothing is pending. */
  rows: Int32Array | null;
}

/**
 * Samples of one split read from the cache file as they are needed. Rows that sit next to
 * each other in the file are read with one call, so an unshuffled pass (validation) reads
 * the file in long runs; `prefetch` reads the next training batch on another thread.
 */
export class DiskSampleStore implements SampleStore {
  readonly count: number;
  private fd: number | null;
  private scratch: Uint8Array;
  private ahead: Prefetch | null = null;

  /** `rows[i]` is the row in the file of this split's sample i. */
  constructor(readonly file: string, readonly sampleSize: number, private readonly rows: Int32Array) {
    this.count = rows.length;
    this.fd = fs.openSync(file, 'r');
    this.scratch = new Uint8Array(sampleSize * 64);
  }

  /** Starts reading these samples on the worker thread; the next `gather` of the same samples collects them. */
  prefetch(indices: ArrayLike<number>): void {
    if (this.fd === null) return;
    if (this.ahead === null) {
      const shared = new SharedArrayBuffer(indices.length * this.sampleSize * 4);
      const flag = new SharedArrayBuffer(4);
      const worker = new Worker(PREFETCH_WORKER, { eval: true, workerData: { file: this.file, sampleSize: this.sampleSize, shared, flag } });
      worker.unref();
      this.ahead = { worker, out: new Float32Array(shared), state: new Int32Array(flag), rows: null };
    }
    const ahead = this.ahead;
    if (ahead.rows !== null || indices.length * this.sampleSize > ahead.out.length) return; // busy, or larger than its buffer
    ahead.rows = Int32Array.from(indices, (i) => this.rows[i]!);
    Atomics.store(ahead.state, 0, 0);
    ahead.worker.postMessage(ahead.rows);
  }

  gather(indices: ArrayLike<number>, out: Float32Array): void {
    if (this.fd === null) throw new Error(`the sample cache ${this.file} was closed`);
    const ahead = this.ahead;
    if (ahead?.rows) {
      const pending = ahead.rows;
      Atomics.wait(ahead.state, 0, 0); // the worker never leaves a request unanswered
      ahead.rows = null;
      if (pending.length === indices.length && pending.every((row, i) => row === this.rows[indices[i]!])) {
        out.set(ahead.out.subarray(0, indices.length * this.sampleSize));
        return;
      }
    }
    const size = this.sampleSize;
    let i = 0;
    while (i < indices.length) {
      // A run of consecutive rows, at most as long as the scratch buffer holds.
      const first = this.rows[indices[i]!]!;
      let run = 1;
      while (i + run < indices.length && run * size < this.scratch.length && this.rows[indices[i + run]!] === first + run) run++;
      fs.readSync(this.fd, this.scratch, 0, run * size, first * size);
      const offset = i * size;
      for (let k = 0; k < run * size; k++) out[offset + k] = this.scratch[k]! * (1 / 255);
      i += run;
    }
  }

  close(): void {
    if (this.ahead) void this.ahead.worker.terminate();
    this.ahead = null;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
