import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { mapWithConcurrency } from '../../data/map-with-concurrency.ts';
import { DIGIT_SIZE, loadDigits, type DigitSet } from './mnist-digits.ts';

/** All digits the `mnist` package holds; loading them all lets any class have `perClass` of its own. */
const ALL_DIGITS = 10_000;

/**
 * Writes real handwritten digits as an image-folder dataset: `dir/0 … dir/9`, each with
 * `perClass` 28×28 one-channel PNGs named `<digit>-<nnnn>.png`. The same seed writes the same
 * digits. For engine and end-to-end tests and the CLI's self-check — the files go through the
 * same import path as a person's own folder.
 */
export async function writeDigitFolder(dir: string, { perClass, seed, digits: only }: { perClass: number; seed: number; digits?: readonly number[] }): Promise<void> {
  if (!Number.isInteger(perClass) || perClass < 1) throw new RangeError(`writeDigitFolder: perClass must be a positive integer, got ${perClass}`);
  const { train: digits } = loadDigits({ trainCount: ALL_DIGITS, testCount: 0, seed });
  const picked: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < digits.count; i++) {
    const list = picked[digits.labels[i]!]!;
    if (list.length < perClass) list.push(i);
  }
  const short = picked.findIndex((list) => list.length < perClass);
  if (short >= 0) throw new RangeError(`writeDigitFolder: the mnist package has only ${picked[short]!.length} images of digit ${short}; asked for ${perClass}`);

  const pixelsPerImage = DIGIT_SIZE * DIGIT_SIZE;
  const width = String(perClass - 1).length;
  // `digits`: only these classes (transfer-learning tests train on 0–4, then fine-tune on 5–9).
  const wanted = new Set(only ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const jobs = picked.flatMap((list, digit) => (wanted.has(digit) ? list : []).map((index, k) => ({ digit, index, name: `${digit}-${String(k).padStart(width, '0')}.png` })));
  for (const digit of wanted) await fs.mkdir(path.join(dir, String(digit)), { recursive: true });
  await mapWithConcurrency(jobs, 16, async ({ digit, index, name }) => {
    const bytes = Buffer.alloc(pixelsPerImage);
    const offset = index * pixelsPerImage;
    for (let p = 0; p < pixelsPerImage; p++) bytes[p] = Math.round(digits.pixels[offset + p]! * 255);
    const png = await sharp(bytes, { raw: { width: DIGIT_SIZE, height: DIGIT_SIZE, channels: 1 } })
      .toColourspace('b-w') // otherwise sharp writes the one channel as three
      .png()
      .toBuffer();
    await fs.writeFile(path.join(dir, String(digit), name), png);
  });
}

/**
 * Digits that `writeDigitFolder` with the same `perClass` and `seed` did NOT write — true
 * held-out data for checking a model trained on that folder. Up to `perClassOut` per class.
 */
export function heldOutDigits({ perClass, seed, perClassOut }: { perClass: number; seed: number; perClassOut: number }): DigitSet {
  const { train: digits } = loadDigits({ trainCount: ALL_DIGITS, testCount: 0, seed });
  const seen = new Array<number>(10).fill(0);
  const chosen: number[] = [];
  const out = new Array<number>(10).fill(0);
  for (let i = 0; i < digits.count; i++) {
    const d = digits.labels[i]!;
    if (seen[d]! < perClass) seen[d]! += 1;
    else if (out[d]! < perClassOut) { out[d]! += 1; chosen.push(i); }
  }
  const pixelsPerImage = DIGIT_SIZE * DIGIT_SIZE;
  const pixels = new Float32Array(chosen.length * pixelsPerImage);
  const labels = new Int32Array(chosen.length);
  chosen.forEach((index, k) => {
    pixels.set(digits.pixels.subarray(index * pixelsPerImage, (index + 1) * pixelsPerImage), k * pixelsPerImage);
    labels[k] = digits.labels[index]!;
  });
  return { pixels, labels, count: chosen.length };
}
