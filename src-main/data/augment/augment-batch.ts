import type { Augmentation } from '../../../src-shared/contract/data-config.ts';

/**
 * Random image augmentation for training batches, done on the CPU in plain loops over the
 * NHWC Float32Array the trainer already feeds, so it needs no tensors and no extra copies of
 * the batch. Geometry (flip, rotation, zoom, translation) is folded into a single inverse
 * affine map per image, so each output pixel is resampled once (one blur, not four).
 */

/**
 * Scratch copy of one source image. Kept at module level and only ever grown, so a training
 * run allocates it once rather than once per image or per batch. Safe because augmentBatch is
 * synchronous and JS is single-threaded per isolate.
 */
let scratch = new Float32Array(0);

/** True when the augmentation changes nothing (all zero / 'none'). */
export function isIdentity(aug: Augmentation): boolean {
  return (
    aug.flip === 'none' &&
    aug.rotation === 0 &&
    aug.zoom === 0 &&
    aug.translation === 0 &&
    aug.brightness === 0 &&
    aug.contrast === 0
  );
}

/**
 * Applies random augmentation in place to `count` images stored back to back in `batch`
 * (NHWC floats 0–1, each h*w*c).
 *
 * Every image draws the same eight random numbers in the same order whatever the settings, so
 * a given seed yields the same stream position per image even when options are toggled.
 * Positive angles rotate counter-clockwise as displayed (the Keras RandomRotation convention);
 * positive shifts move content right / down.
 */
export function augmentBatch(
  batch: Float32Array,
  count: number,
  shape: readonly [number, number, number],
  aug: Augmentation,
  random: () => number,
): void {
  const [h, w, c] = shape;
  const size = h * w * c;
  if (count * size > batch.length) {
    throw new RangeError(`augmentBatch: ${count} images of ${h}×${w}×${c} need ${count * size} floats, batch has ${batch.length}`);
  }
  // Leaves the data bit-identical and skips the random draws: nothing to do.
  if (isIdentity(aug) || count <= 0 || size === 0) return;
  if (scratch.length < size) scratch = new Float32Array(size);

  const canFlipH = aug.flip === 'horizontal' || aug.flip === 'both';
  const canFlipV = aug.flip === 'vertical' || aug.flip === 'both';
  /** Uniform in [-range, +range]. */
  const symmetric = (range: number): number => (2 * random() - 1) * range;

  for (let n = 0; n < count; n++) {
    const flipH = random() < 0.5 && canFlipH;
    const flipV = random() < 0.5 && canFlipV;
    const angle = (symmetric(aug.rotation) * Math.PI) / 180;
    const scale = 1 + symmetric(aug.zoom);
    const dx = symmetric(aug.translation) * w;
    const dy = symmetric(aug.translation) * h;
    const delta = symmetric(aug.brightness);
    const factor = 1 + symmetric(aug.contrast);
    const offset = n * size;

    // Fast path: most images of a lightly augmented run need no resample at all.
    if (flipH || flipV || angle !== 0 || scale !== 1 || dx !== 0 || dy !== 0) {
      resample(batch, offset, w, h, c, flipH, flipV, angle, scale, dx, dy);
    }
    if (factor !== 1 || delta !== 0) adjustTones(batch, offset, w * h, c, factor, delta);
  }
}

/**
 * Geometric part for one image. Forward map about the centre (cx, cy): flip, rotate, scale,
 * then shift. We walk the output pixels and apply the inverse of that map to find where each
 * one comes from, so every output pixel gets exactly one value (no holes).
 */
function resample(
  batch: Float32Array,
  offset: number,
  w: number,
  h: number,
  c: number,
  flipH: boolean,
  flipV: boolean,
  angle: number,
  scale: number,
  dx: number,
  dy: number,
): void {
  const size = w * h * c;
  const src = scratch;
  for (let i = 0; i < size; i++) src[i] = batch[offset + i]!;

  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const sx = flipH ? -1 : 1;
  const sy = flipV ? -1 : 1;
  // Inverse map: u = (xo - cx - dx) / s, v = (yo - cy - dy) / s; undo the counter-clockwise
  // rotation (y points down) with xr = u·cos − v·sin, yr = u·sin + v·cos; undo the flip;
  // add the centre back. Expanded into xi = a·xo + b·yo + e, yi = p·xo + q·yo + f.
  const a = (sx * cos) / scale;
  const b = (-sx * sin) / scale;
  const p = (sy * sin) / scale;
  const q = (sy * cos) / scale;
  const u0 = -cx - dx;
  const v0 = -cy - dy;
  const e = cx + sx * (u0 * cos - v0 * sin) / scale;
  const f = cy + sy * (u0 * sin + v0 * cos) / scale;
  const maxX = w - 1;
  const maxY = h - 1;

  let out = offset;
  for (let yo = 0; yo < h; yo++) {
    for (let xo = 0; xo < w; xo++) {
      // "Nearest" fill: clamping the source coordinate repeats the edge pixel outward. Keras'
      // RandomRotation defaults to "reflect", but for small shifts of centred subjects
      // (digits, objects) nearest avoids mirrored ghost copies of the subject appearing at
      // the border, needs no extra index arithmetic, and matches background well.
      let xi = a * xo + b * yo + e;
      let yi = p * xo + q * yo + f;
      xi = xi < 0 ? 0 : xi > maxX ? maxX : xi;
      yi = yi < 0 ? 0 : yi > maxY ? maxY : yi;
      const x0 = Math.floor(xi);
      const y0 = Math.floor(yi);
      const fx = xi - x0;
      const fy = yi - y0;
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const i00 = (y0 * w + x0) * c;
      const i01 = (y0 * w + x1) * c;
      const i10 = (y1 * w + x0) * c;
      const i11 = (y1 * w + x1) * c;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      for (let ch = 0; ch < c; ch++) {
        batch[out++] = src[i00 + ch]! * w00 + src[i01 + ch]! * w01 + src[i10 + ch]! * w10 + src[i11 + ch]! * w11;
      }
    }
  }
}

/**
 * Photometric part for one image: contrast about each channel's own mean (so colour balance
 * survives), then the brightness shift, then a clamp back to the 0–1 range the model expects.
 */
function adjustTones(batch: Float32Array, offset: number, pixels: number, c: number, factor: number, delta: number): void {
  const end = offset + pixels * c;
  for (let ch = 0; ch < c; ch++) {
    let mean = 0;
    if (factor !== 1) {
      // Summed in a JS double, so 512×512 images do not lose precision as a float32 sum would.
      for (let i = offset + ch; i < end; i += c) mean += batch[i]!;
      mean /= pixels;
    }
    const shift = mean - mean * factor + delta; // (v − mean)·factor + mean + delta = v·factor + shift
    for (let i = offset + ch; i < end; i += c) {
      const v = batch[i]! * factor + shift;
      batch[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
}
