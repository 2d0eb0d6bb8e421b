import type * as tfType from '@tensorflow/tfjs';
import type { ExplainMethod, ExplainOptions } from '../../../src-shared/contract/explanation.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { attribute, type AttributionMap } from './attribution-maps.ts';

/** A rectangle in input pixels. */
export interface MapRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The share of a map's total mass inside `rect` (0 for an empty map): how much of the explanation points there. */
export function massInside({ width, height, map }: AttributionMap, rect: MapRect): number {
  const x0 = Math.max(0, rect.x);
  const y0 = Math.max(0, rect.y);
  const x1 = Math.min(width, rect.x + rect.width);
  const y1 = Math.min(height, rect.y + rect.height);
  let total = 0;
  for (const v of map) total += v;
  if (total <= 0) return 0;
  let inside = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) inside += map[y * width + x]!;
  return inside / total;
}

/** Ranks 1…n of `values`, tied values sharing the mean of their ranks. */
function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const out = new Float64Array(values.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const shared = (start + 1 + end) / 2; // the mean of ranks start+1 … end
    for (let k = start; k < end; k++) out[order[k]!] = shared;
    start = end;
  }
  return out;
}

/**
 * Spearman's rank correlation of two equally long series (ties get averaged ranks): the
 * Pearson correlation of their ranks. A constant series has no order to agree with, so the
 * correlation with it is 0.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`spearman: the series differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  if (n < 2) return 0;
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (n + 1) / 2; // ranks always average (n + 1) / 2, ties included
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = ra[i]! - mean;
    const db = rb[i]! - mean;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}

/** Receptive field × channels in and out of a kernel (dense [in, out], conv [kh, kw, in, out]). */
function fans(shape: readonly number[]): [number, number] {
  const field = shape.slice(0, -2).reduce((a, d) => a * d, 1);
  return [field * shape.at(-2)!, field * shape.at(-1)!];
}

/**
 * A copy of `model` (same layers, same names) with every weight re-initialised — Adebayo
 * et al.'s full model randomisation: kernels (every weight of rank ≥ 2) drawn glorot-uniform
 * from a seeded generator, biases and normalisation parameters set back to their initial
 * values (0; 1 for scales and variances), i.e. the network as it was before any training.
 * The caller disposes it.
 */
export function randomisedModel(tf: Tf, model: tfType.LayersModel, seed = 1): tfType.LayersModel {
  // fastWeightInit: the clone's own initialisers would only be overwritten below.
  const clone = tf.LayersModel.fromConfig<tfType.LayersModel>(tf.LayersModel, model.getConfig(), {}, true);
  const random = seededRandom(seed);
  const drawn = clone.weights.map((w) => {
    const shape = w.shape as number[];
    if (shape.length < 2) return /(gamma|variance)$/.test(w.originalName) ? tf.ones(shape) : tf.zeros(shape);
    const [fanIn, fanOut] = fans(shape);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const size = shape.reduce((a, d) => a * d, 1);
    return tf.tensor(Float32Array.from({ length: size }, () => (2 * random() - 1) * limit), shape);
  });
  try {
    clone.setWeights(drawn);
  } finally {
    // The variables keep their own reference to the values.
    for (const t of drawn) t.dispose();
  }
  return clone;
}

/**
 * Rank correlation above which a map counts as not depending on what the model learned.
 * Spearman over all pixels compares the whole ordering of the two maps, background
 * included, so even two unrelated models share some order that the image itself imposes
 * (edges and bright regions change every model's gradients): a threshold of 0 would be
 * unfair. A map that is mostly the same ordering as an untrained network's (ρ ≥ 0.5, i.e.
 * the random model explains at least a quarter of the rank variance) tells little about
 * the trained one.
 * - vanilla, SmoothGrad, occlusion: 0.5 — nothing but the model enters them.
 * - Grad-CAM: 0.5 — it is upsampled from a coarse grid, which makes both maps smooth, but the
 *   weights come entirely from the model.
 * - Integrated Gradients: 0.6 — each pixel's attribution is multiplied by |input − baseline|,
 *   a factor both models share, so part of the ordering comes from the image alone (the
 *   reason Adebayo et al. saw gradient ⊙ input maps survive randomisation visually).
 */
export const SANITY_THRESHOLDS: Readonly<Record<ExplainMethod, number>> = {
  vanilla: 0.5,
  smoothgrad: 0.5,
  'integrated-gradients': 0.6,
  gradcam: 0.5,
  occlusion: 0.5,
};

export interface SanityResult {
  rankCorrelation: number;
  threshold: number;
  /** True when the map changed with the weights (correlation below the method's threshold). */
  passed: boolean;
  randomMap: AttributionMap;
}

/**
 * The model-randomisation check (Adebayo et al. 2018, "Sanity checks for saliency maps"):
 * the same method's map for the same image and class on `model` and on a copy whose weights
 * were re-drawn. A method whose map hardly changes explains the image, not the model.
 * `compareWith` makes the other model (the randomised copy by default); it is disposed here.
 */
export function sanityCheck(
  tf: Tf, model: tfType.LayersModel, spec: ModelSpec, pixels: Float32Array, shape: readonly [number, number, number],
  classIndex: number, method: ExplainMethod, options: ExplainOptions,
  compareWith: (tf: Tf, model: tfType.LayersModel) => tfType.LayersModel = randomisedModel,
): SanityResult {
  const trained = attribute(tf, model, spec, pixels, shape, classIndex, method, options);
  const other = compareWith(tf, model);
  let randomMap: AttributionMap;
  try {
    randomMap = attribute(tf, other, spec, pixels, shape, classIndex, method, options);
  } finally {
    other.dispose();
  }
  const rankCorrelation = spearman(trained.map, randomMap.map);
  const threshold = SANITY_THRESHOLDS[method];
  return { rankCorrelation, threshold, passed: rankCorrelation < threshold, randomMap };
}
