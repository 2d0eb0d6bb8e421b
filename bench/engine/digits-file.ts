import fs from 'node:fs';
import { loadDigits } from '../../src-main/engine/testing/mnist-digits.ts';

/**
 * The benchmark's training digits in one raw file both runtimes read: a little-endian
 * uint32 count, then count×784 float32 pixels, then count int32 labels.
 */
export function writeDigitsFile(file: string, count: number): void {
  const { train } = loadDigits({ trainCount: count, testCount: 0, seed: 42 });
  const header = new Uint32Array([train.count]);
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from(header.buffer), Buffer.from(train.pixels.buffer), Buffer.from(train.labels.buffer),
  ]));
}

export function readDigitsFile(file: string): { pixels: Float32Array; labels: Int32Array; count: number } {
  const buf = fs.readFileSync(file);
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice(); // aligned copy
  const count = new Uint32Array(bytes.buffer, 0, 1)[0]!;
  const pixels = new Float32Array(bytes.buffer, 4, count * 784);
  const labels = new Int32Array(bytes.buffer, 4 + count * 784 * 4, count);
  return { pixels, labels, count };
}
