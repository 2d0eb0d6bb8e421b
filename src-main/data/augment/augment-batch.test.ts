import { describe, expect, it } from 'vitest';
import type { Augmentation } from '../../../src-shared/contract/data-config.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { augmentBatch, isIdentity } from './augment-batch.ts';

const none: Augmentation = { flip: 'none', rotation: 0, zoom: 0, translation: 0, brightness: 0, contrast: 0 };
const aug = (more: Partial<Augmentation>): Augmentation => ({ ...none, ...more });
/** Just below 1: every symmetric draw lands at its +max, and no flip fires (1 − ε ≥ 0.5). */
const high = () => 1 - 1e-9;
const at = (img: Float32Array, w: number, x: number, y: number, c = 1, ch = 0) => img[(y * w + x) * c + ch]!;

/** One marked pixel on a black w×w single-channel image. */
function marked(w: number, x: number, y: number): Float32Array {
  const img = new Float32Array(w * w);
  img[y * w + x] = 1;
  return img;
}

function channelStats(img: Float32Array, c: number, ch: number): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  const n = img.length / c;
  for (let i = ch; i < img.length; i += c) sum += img[i]!;
  const mean = sum / n;
  for (let i = ch; i < img.length; i += c) sq += (img[i]! - mean) ** 2;
  return { mean, variance: sq / n };
}

describe('isIdentity', () => {
  it('is true only when every option is off', () => {
    expect(isIdentity(none)).toBe(true);
    expect(isIdentity(aug({ flip: 'vertical' }))).toBe(false);
    expect(isIdentity(aug({ contrast: 0.1 }))).toBe(false);
  });
});

describe('seededRandom', () => {
  it('repeats for the same seed, stays in [0,1) and differs across seeds', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const first = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(first);
    for (const v of first) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(new Set(first).size).toBeGreaterThan(990);
    expect(seededRandom(2)()).not.toBe(first[0]);
  });
});

describe('augmentBatch', () => {
  it('leaves the batch bit-identical for an identity augmentation', () => {
    const batch = Float32Array.from({ length: 4 * 8 * 8 * 3 }, seededRandom(7));
    const before = batch.slice();
    augmentBatch(batch, 4, [8, 8, 3], none, seededRandom(3));
    expect(Buffer.from(batch.buffer).equals(Buffer.from(before.buffer))).toBe(true);
  });

  it('mirrors an asymmetric image exactly on a horizontal flip', () => {
    const [h, w, c] = [3, 4, 2];
    const img = Float32Array.from({ length: h * w * c }, (_, i) => i / (h * w * c));
    const batch = img.slice();
    augmentBatch(batch, 1, [h, w, c], aug({ flip: 'horizontal' }), () => 0.1);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) expect(at(batch, w, x, y, c, ch)).toBe(at(img, w, w - 1 - x, y, c, ch));
  });

  it('does not flip vertically under a horizontal-only setting', () => {
    const img = Float32Array.from({ length: 9 }, (_, i) => i / 9);
    const batch = img.slice();
    augmentBatch(batch, 1, [3, 3, 1], aug({ flip: 'horizontal' }), () => 0.1);
    expect(Array.from(batch)).toEqual(Array.from(img).map((_, i) => img[Math.floor(i / 3) * 3 + 2 - (i % 3)]));
  });

  it('rotates +90° counter-clockwise about the centre', () => {
    // (3,1) is one right and one up of the centre (2,2); a quarter turn left puts it at (1,1).
    const batch = marked(5, 3, 1);
    augmentBatch(batch, 1, [5, 5, 1], aug({ rotation: 90 }), high);
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 5; x++) expect(at(batch, 5, x, y)).toBeCloseTo(x === 1 && y === 1 ? 1 : 0, 4);
  });

  it('moves a bright square right and down by the translation', () => {
    const w = 10;
    const batch = new Float32Array(w * w);
    for (const [x, y] of [[2, 2], [3, 2], [2, 3], [3, 3]] as const) batch[y * w + x] = 1;
    augmentBatch(batch, 1, [w, w, 1], aug({ translation: 0.2 }), high); // +2 px each way
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const inside = x >= 4 && x <= 5 && y >= 4 && y <= 5;
        expect(at(batch, w, x, y)).toBeCloseTo(inside ? 1 : 0, 4);
      }
  });

  it('zooms in about the centre, filling nothing from outside', () => {
    const batch = marked(5, 2, 2);
    augmentBatch(batch, 1, [5, 5, 1], aug({ zoom: 0.5 }), high); // scale 1.5
    expect(at(batch, 5, 2, 2)).toBeCloseTo(1, 4);
    expect(at(batch, 5, 3, 2)).toBeGreaterThan(0.2); // the dot has grown into its neighbours
    expect(at(batch, 5, 0, 0)).toBeCloseTo(0, 6);
  });

  it('adds brightness within bounds and clamps to [0,1]', () => {
    const img = Float32Array.from([0, 0.2, 0.5, 0.9, 1, 0.75]);
    const up = img.slice();
    augmentBatch(up, 1, [2, 3, 1], aug({ brightness: 0.3 }), high); // +0.3
    const expected = [0.3, 0.5, 0.8, 1, 1, 1];
    expected.forEach((v, i) => expect(up[i]).toBeCloseTo(v, 6));

    const batch = Float32Array.from({ length: 50 * 6 }, (_, i) => img[i % 6]!);
    augmentBatch(batch, 50, [2, 3, 1], aug({ brightness: 0.3 }), seededRandom(5));
    for (let n = 0; n < 50; n++) {
      const d = batch[n * 6 + 2]! - 0.5; // the unclamped mid-grey pixel shows this image's delta
      expect(Math.abs(d)).toBeLessThanOrEqual(0.3 + 1e-6);
      for (let i = 0; i < 6; i++) {
        const v = batch[n * 6 + i]!;
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        expect(v).toBeCloseTo(Math.min(1, Math.max(0, img[i]! + d)), 5);
      }
    }
  });

  it('scales contrast about each channel mean, keeping the mean', () => {
    const [h, w, c] = [6, 6, 3];
    const rand = seededRandom(11);
    // Values 0.3–0.7 per channel with different centres, so ×1.5 never hits the clamp.
    const img = Float32Array.from({ length: h * w * c }, (_, i) => 0.35 + (i % c) * 0.05 + rand() * 0.2);
    const batch = img.slice();
    augmentBatch(batch, 1, [h, w, c], aug({ contrast: 0.5 }), high); // factor 1.5
    for (let ch = 0; ch < c; ch++) {
      const before = channelStats(img, c, ch);
      const after = channelStats(batch, c, ch);
      expect(Math.abs(after.mean - before.mean)).toBeLessThan(1e-5);
      expect(after.variance / before.variance).toBeCloseTo(2.25, 3);
    }
  });

  it('draws separate parameters for each image in the batch', () => {
    const size = 12 * 12 * 3;
    const img = Float32Array.from({ length: size }, seededRandom(4));
    const batch = new Float32Array(2 * size);
    batch.set(img, 0);
    batch.set(img, size);
    const all = aug({ flip: 'both', rotation: 20, zoom: 0.1, translation: 0.1, brightness: 0.1, contrast: 0.2 });
    augmentBatch(batch, 2, [12, 12, 3], all, seededRandom(9));
    const first = batch.subarray(0, size);
    const second = batch.subarray(size);
    let diff = 0;
    for (let i = 0; i < size; i++) diff += Math.abs(first[i]! - second[i]!);
    expect(diff / size).toBeGreaterThan(0.01);
    // Same seed, same result: the randomness comes only from the supplied generator.
    const again = new Float32Array(2 * size);
    again.set(img, 0);
    again.set(img, size);
    augmentBatch(again, 2, [12, 12, 3], all, seededRandom(9));
    expect(again).toEqual(batch);
  });

  it('rejects a batch too small for count images', () => {
    expect(() => augmentBatch(new Float32Array(10), 2, [2, 3, 1], aug({ brightness: 0.1 }), Math.random)).toThrow(RangeError);
  });
});
