import type * as tfType from '@tensorflow/tfjs';
import type { ExplainMethod, ExplainOptions } from '../../../src-shared/contract/explanation.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { flattenBlocks } from '../../../src-shared/graph/graph-blocks.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';

/** A non-negative attribution per input pixel, row-major `height × width`, max 1. */
export interface AttributionMap {
  width: number;
  height: number;
  map: Float32Array;
}

/** Layer kinds with a spatial (h × w × channels) output that Grad-CAM can weigh. */
const CONV_2D_CLASSES = new Set(['Conv2D', 'SeparableConv2D', 'DepthwiseConv2D', 'Conv2DTranspose']);

/** Every Conv2D-like layer of the spec (blocks flattened, as the engine names them), in topological order. */
export function conv2dLayers(spec: ModelSpec): string[] {
  const { order, nodes } = analyzeGraph(flattenBlocks(spec));
  return order.filter((name) => CONV_2D_CLASSES.has(nodes[name]?.className ?? ''));
}

/** The last Conv2D-like layer in topological order: Grad-CAM's default layer (coarsest, most semantic). */
export function lastConvLayer(spec: ModelSpec): string | null {
  return conv2dLayers(spec).at(-1) ?? null;
}

/**
 * How a model's class scores are read. The gradient methods take the class's logit (the
 * score before a softmax output): a confident model's probability saturates and has almost
 * no gradient. Softmax sees logits only up to a shift shared by all classes, so one class's
 * raw logit carries an arbitrary part (with two classes, much of it); the score is the
 * logit minus the mean logit, which removes that part (with two classes: half the log-odds).
 * Occlusion measures the probability.
 */
interface ClassScores {
  classes: number;
  /** The layer whose output the scores are computed from: the softmax's input, or the output layer. */
  scoreFrom: string;
  /** Scores [batch, classes] from `scoreFrom`'s output. */
  toScores(features: tfType.Tensor): tfType.Tensor;
  /** Scores [batch, classes] of a batch of inputs. */
  scores(x: tfType.Tensor): tfType.Tensor;
  probabilities(x: tfType.Tensor): tfType.Tensor;
}

// Per model, built once: the sub-model below the softmax shares the trained layers (a
// container over them adds no weights and no references that would keep them alive).
const scoresOfModel = new WeakMap<tfType.LayersModel, ClassScores>();

function classScores(tf: Tf, model: tfType.LayersModel): ClassScores {
  const cached = scoresOfModel.get(model);
  if (cached) return cached;
  const output = model.outputLayers[0]!;
  const activation = output.getConfig().activation;
  const softmax = activation === 'softmax';
  const sigmoid = activation === 'sigmoid';
  const classes = (model.outputs[0]!.shape as number[]).at(-1)!;
  // A linear output is read as logits (as training does); a sigmoid output is scored as it is.
  const centred = (z: tfType.Tensor) => (sigmoid ? z : z.sub(z.mean(-1, true)));
  let scoreFrom = output.name;
  let toScores = centred;
  let features: (x: tfType.Tensor) => tfType.Tensor = (x) => model.apply(x) as tfType.Tensor;
  if (softmax) {
    const below = tf.model({ inputs: model.inputs, outputs: output.getInputAt(0) as tfType.SymbolicTensor });
    scoreFrom = output.inboundNodes[0]!.inboundLayers[0]!.name;
    features = (x) => below.apply(x) as tfType.Tensor;
    // A Dense softmax layer: its affine part gives the logits; an Activation('softmax') layer's input is them.
    if (output.getClassName() === 'Dense') {
      toScores = (h) => {
        const [kernel, bias] = output.getWeights();
        const z = tf.matMul(h as tfType.Tensor2D, kernel as tfType.Tensor2D);
        return centred(bias ? z.add(bias) : z);
      };
    }
  }
  const scores: ClassScores = {
    classes, scoreFrom, toScores,
    scores: (x) => toScores(features(x)),
    probabilities: (x) => {
      const out = model.apply(x) as tfType.Tensor;
      return softmax || sigmoid ? out : tf.softmax(out);
    },
  };
  scoresOfModel.set(model, scores);
  return scores;
}

// Noise and baselines are drawn from fixed seeds: the same image and options give the same map.
const SMOOTHGRAD_SEED = 0x5eed;
const NOISE_BASELINE_SEED = 0xba5e;
// Samples per engine call for the batched methods: ~8 MB of input per batch keeps a 512×512
// RGB image's activations within memory while a 28×28 one goes through in one call.
const BATCH_INPUT_VALUES = 2 ** 21;
const OCCLUSION_CHUNK = 64;

function batchSizeFor(valuesPerSample: number, wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.floor(BATCH_INPUT_VALUES / valuesPerSample)));
}

/**
 * One image's attribution map for `classIndex` by `method`, with that method's `options`.
 * `pixels` is one preprocessed image (`h × w × c`, values 0–1, as the dataset loader makes
 * them). Gradients are taken of the class's logit (the score before a softmax output), the
 * score the gradient methods are defined on; occlusion measures the class probability.
 */
export function attribute(
  tf: Tf, model: tfType.LayersModel, spec: ModelSpec, pixels: Float32Array, shape: readonly [number, number, number],
  classIndex: number, method: ExplainMethod, options: ExplainOptions,
): AttributionMap {
  const scores = classScores(tf, model);
  checkInput(model, scores, pixels, shape, classIndex);
  const [h, w, c] = shape;
  switch (method) {
    case 'vanilla': return toMap(tf, () => absGradient(tf, scores, tf.tensor4d(pixels, [1, h, w, c]), classIndex).max(-1));
    case 'smoothgrad': return smoothGrad(tf, scores, pixels, shape, classIndex, options.smoothgrad);
    case 'integrated-gradients': return integratedGradientsMap(tf, scores, pixels, shape, classIndex, options.integratedGradients);
    case 'gradcam': {
      const layer = options.gradcam.layer ?? lastConvLayer(spec);
      if (layer === null) {
        throw new StrataError('NO_CONV_LAYER', 'Grad-CAM needs a Conv2D layer; this network has none. Use the gradient, SmoothGrad, Integrated Gradients or occlusion instead.');
      }
      return gradCamMap(tf, model, spec, scores, pixels, shape, classIndex, layer);
    }
    case 'occlusion': return occlusionMap(tf, scores, pixels, shape, classIndex, options.occlusion);
  }
}

function checkInput(model: tfType.LayersModel, scores: ClassScores, pixels: Float32Array, shape: readonly number[], classIndex: number): void {
  const expected = (model.inputs[0]!.shape as (number | null)[]).slice(1);
  if (shape.length !== 3 || expected.length !== 3 || shape.some((d, i) => expected[i] !== null && expected[i] !== d)) {
    throw new StrataError('INPUT_SHAPE_MISMATCH', `Attribution maps are for image models: the model takes [${expected.join(', ')}] and the image is [${shape.join(', ')}]. Decode the image at the model's input size and channels.`);
  }
  if (pixels.length !== shape[0]! * shape[1]! * shape[2]!) {
    throw new StrataError('INPUT_SHAPE_MISMATCH', `The image has ${pixels.length} values, not ${shape.join(' × ')}; pass one decoded image.`);
  }
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= scores.classes) {
    throw new StrataError('NO_SUCH_CLASS', `Class ${classIndex} does not exist: the model has ${scores.classes} classes (0–${scores.classes - 1}).`);
  }
}

/** Runs `compute` (an `h × w` map, or `1 × h × w`) in a tidy and scales it to max 1 on the host. */
function toMap(tf: Tf, compute: () => tfType.Tensor): AttributionMap {
  const result = tf.tidy(compute);
  const [height, width] = result.shape.slice(-2) as [number, number];
  const map = new Float32Array(result.dataSync());
  result.dispose();
  return { width, height, map: normaliseInPlace(map) };
}

function normaliseInPlace(map: Float32Array): Float32Array {
  let max = 0;
  for (const v of map) if (v > max) max = v;
  if (max > 0) for (let i = 0; i < map.length; i++) map[i] = map[i]! / max;
  return map;
}

/** |∂ logit_class / ∂ x| for a batch `x`, same shape as `x`. Call inside a tidy. */
function absGradient(tf: Tf, scores: ClassScores, x: tfType.Tensor, classIndex: number): tfType.Tensor {
  const score = (input: tfType.Tensor) => scores.scores(input).slice([0, classIndex], [-1, 1]).sum();
  return tf.grad(score)(x).abs();
}

/**
 * A seeded source of standard normal draws (Box–Muller), read in pieces: the same seed
 * gives the same sequence however it is split into batches.
 */
function gaussianSource(seed: number): (count: number) => Float32Array {
  const random = seededRandom(seed);
  let spare: number | null = null;
  return (count) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      if (spare !== null) {
        out[i] = spare;
        spare = null;
        continue;
      }
      const r = Math.sqrt(-2 * Math.log(1 - random()));
      const theta = 2 * Math.PI * random();
      out[i] = r * Math.cos(theta);
      spare = r * Math.sin(theta);
    }
    return out;
  };
}

/**
 * The sum of `part(start, n)` over `count` samples taken `batch` at a time, each batch in its
 * own tidy, so only the running sum outlives a batch (its activations and gradients do not).
 */
function sumInBatches(tf: Tf, count: number, batch: number, part: (start: number, n: number) => tfType.Tensor): tfType.Tensor {
  let total: tfType.Tensor | null = null;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const piece = tf.tidy(() => part(start, n));
    if (total === null) total = piece;
    else {
      const sum: tfType.Tensor = total.add(piece);
      tf.dispose([total, piece]);
      total = sum;
    }
  }
  return total!;
}

/**
 * SmoothGrad (Smilkov et al. 2017): the mean |gradient| over `samples` copies of the image
 * with Gaussian noise of σ = sigma × the image's value range, max over channels. All copies
 * go through the engine as one batch (or a few, for very large images).
 */
function smoothGrad(tf: Tf, scores: ClassScores, pixels: Float32Array, shape: readonly [number, number, number], classIndex: number, { samples, sigma }: ExplainOptions['smoothgrad']): AttributionMap {
  const [h, w, c] = shape;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of pixels) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const spread = sigma * (hi > lo ? hi - lo : 1);
  const noise = gaussianSource(SMOOTHGRAD_SEED);
  return toMap(tf, () => {
    const x = tf.tensor4d(pixels, [1, h, w, c]);
    const total = sumInBatches(tf, samples, batchSizeFor(pixels.length, samples), (_, n) => {
      const noisy = x.add(tf.tensor4d(noise(n * pixels.length), [n, h, w, c]).mul(spread));
      return absGradient(tf, scores, noisy, classIndex).sum(0);
    });
    return total.div(samples).max(-1);
  });
}

/**
 * Integrated Gradients (Sundararajan et al. 2017): (input − baseline) × the mean gradient of
 * the class score along the straight path from baseline to input, signed, same shape as
 * `input`. `input` and `baseline` carry a batch dimension of 1 and may have any rank (images,
 * feature vectors, embedded token sequences); `f` maps a batch of them to [batch, classes]
 * scores (logits preferred: they do not saturate) and must treat samples independently. The `steps` path points are sampled at
 * interval midpoints (a midpoint Riemann sum, closer to the integral than the paper's
 * right-hand sum at the same cost) and go through `f` as one batch where memory allows, so
 * the attributions sum to ≈ f(input) − f(baseline) for the class. The caller owns the result.
 */
export function integratedGradients(
  tf: Tf, f: (x: tfType.Tensor) => tfType.Tensor, input: tfType.Tensor, baseline: tfType.Tensor, classIndex: number, steps: number,
): tfType.Tensor {
  if (input.shape[0] !== 1) throw new StrataError('IG_BATCH', `Integrated Gradients explains one sample at a time: pass an input with batch dimension 1, not shape [${input.shape.join(', ')}].`);
  if (input.shape.join() !== baseline.shape.join()) {
    throw new StrataError('IG_BASELINE_SHAPE', `The baseline's shape [${baseline.shape.join(', ')}] differs from the input's [${input.shape.join(', ')}]; give a baseline of the input's shape.`);
  }
  if (!Number.isInteger(steps) || steps < 1) throw new StrataError('IG_STEPS', `Integrated Gradients needs a whole number of steps ≥ 1, got ${steps}.`);
  const gradient = tf.grad((x: tfType.Tensor) => f(x).slice([0, classIndex], [-1, 1]).sum());
  return tf.tidy(() => {
    const delta = input.sub(baseline);
    const total = sumInBatches(tf, steps, batchSizeFor(input.size, steps), (start, n) => {
      const alphas = tf.tensor1d(Array.from({ length: n }, (_, k) => (start + k + 0.5) / steps)).reshape([n, ...input.shape.slice(1).map(() => 1)]);
      return gradient(baseline.add(delta.mul(alphas))).sum(0, true);
    });
    return delta.mul(total.div(steps));
  });
}

/** The image that carries no evidence, as a [1, h, w, c] tensor. Call inside a tidy. */
function baselineFor(tf: Tf, kind: ExplainOptions['integratedGradients']['baseline'], x: tfType.Tensor4D): tfType.Tensor4D {
  switch (kind) {
    case 'black': return tf.zerosLike(x);
    case 'white': return tf.onesLike(x);
    case 'noise': {
      const random = seededRandom(NOISE_BASELINE_SEED);
      return tf.tensor4d(Float32Array.from({ length: x.size }, () => random()), x.shape);
    }
    case 'blur': {
      // Two box blurs of width k ≈ a Gaussian of σ ≈ k/2.4 ≈ image/15: shapes dissolve, the colours stay.
      const [, h, w] = x.shape;
      const k = Math.max(3, Math.round(Math.min(h, w) / 6) | 1);
      return tf.avgPool(tf.avgPool(x, k, 1, 'same'), k, 1, 'same');
    }
  }
}

function integratedGradientsMap(tf: Tf, scores: ClassScores, pixels: Float32Array, shape: readonly [number, number, number], classIndex: number, { steps, baseline }: ExplainOptions['integratedGradients']): AttributionMap {
  const [h, w, c] = shape;
  return toMap(tf, () => {
    const x = tf.tensor4d(pixels, [1, h, w, c]);
    return integratedGradients(tf, (batch) => scores.scores(batch), x, baselineFor(tf, baseline, x), classIndex, steps).abs().sum(-1);
  });
}

/**
 * Grad-CAM (Selvaraju et al. 2017): weights each channel of a conv layer's activation by the
 * mean gradient of the class score, sums, keeps the positive part and upsamples to the input.
 */
function gradCamMap(
  tf: Tf, model: tfType.LayersModel, spec: ModelSpec, scores: ClassScores, pixels: Float32Array,
  shape: readonly [number, number, number], classIndex: number, layer: string,
): AttributionMap {
  const valid = conv2dLayers(spec);
  if (!valid.includes(layer)) {
    throw new StrataError('NOT_A_CONV_LAYER', `Grad-CAM cannot use "${layer}": it is not a Conv2D-like layer of this network. Choose one of: ${valid.join(', ') || '(none)'}.`, { layer, valid });
  }
  const plan = splitPlan(spec, layer, scores.scoreFrom);
  const [h, w, c] = shape;
  return toMap(tf, () => {
    const x = tf.tensor4d(pixels, [1, h, w, c]);
    // Everything that does not depend on the layer is computed once and held constant.
    const values = new Map<string, tfType.Tensor>();
    for (const name of plan.before) values.set(name, plan.inputs.has(name) ? x : applyLayer(model, name, plan.inbound.get(name)!, values));
    const activation = values.get(layer) as tfType.Tensor4D;
    const score = (a: tfType.Tensor) => {
      const downstream = new Map(values).set(layer, a);
      for (const name of plan.after) downstream.set(name, applyLayer(model, name, plan.inbound.get(name)!, downstream));
      return scores.toScores(downstream.get(scores.scoreFrom)!).slice([0, classIndex], [-1, 1]).sum();
    };
    const channelWeights = tf.grad(score)(activation).mean([1, 2], true);
    const weighted = tf.relu(activation.mul(channelWeights).sum(-1, true)) as tfType.Tensor4D;
    return tf.image.resizeBilinear(weighted, [h, w]).squeeze([0, 3]);
  });
}

/** The trained layer `name` applied eagerly to its inbound values (no graph node, no new reference to the layer). */
function applyLayer(model: tfType.LayersModel, name: string, inbound: readonly string[], values: ReadonlyMap<string, tfType.Tensor>): tfType.Tensor {
  const ins = inbound.map((n) => values.get(n)!);
  return model.getLayer(name).apply(ins.length === 1 ? ins[0]! : ins) as tfType.Tensor;
}

interface SplitPlan {
  /** Layers to run once, in order: the split layer, its ancestors and branches that bypass it. */
  before: string[];
  /** Layers that depend on the split layer, in order, up to the one the scores are read from. */
  after: string[];
  inputs: Set<string>;
  inbound: Map<string, string[]>;
}

const plansOfSpec = new WeakMap<ModelSpec, Map<string, SplitPlan>>();

/**
 * How to run the graph split at `layer` for Grad-CAM, for any DAG the canvas can draw (skip
 * connections included): the model is run layer by layer, so the layer's activation can be
 * swapped for the tensor the gradient is taken against. Cached per spec and layer.
 */
function splitPlan(blockSpec: ModelSpec, layer: string, scoreFrom: string): SplitPlan {
  const cached = plansOfSpec.get(blockSpec)?.get(layer);
  if (cached) return cached;
  const spec = flattenBlocks(blockSpec);
  const { order } = analyzeGraph(spec);
  const inbound = new Map(spec.config.layers.map((l) => [l.name, l.inbound]));
  const inputs = new Set(spec.config.layers.filter((l) => l.class_name === 'Input').map((l) => l.name));
  // Only what the score needs: the ancestors of `scoreFrom`.
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const from of inbound.get(name) ?? []) visit(from);
  };
  visit(scoreFrom);
  const downstream = new Set<string>();
  for (const name of order) {
    if ((inbound.get(name) ?? []).some((from) => from === layer || downstream.has(from))) downstream.add(name);
  }
  const plan: SplitPlan = {
    before: order.filter((name) => needed.has(name) && !downstream.has(name)),
    after: order.filter((name) => needed.has(name) && downstream.has(name)),
    inputs, inbound,
  };
  const plans = plansOfSpec.get(blockSpec) ?? new Map<string, SplitPlan>();
  plans.set(layer, plan);
  plansOfSpec.set(blockSpec, plans);
  return plan;
}

/**
 * Occlusion (Zeiler & Fergus 2014): slides a square filled with the image's mean colour over
 * the image and records how much the class probability drops; each pixel gets the mean drop
 * of the squares covering it, clipped at 0 (squares that raise the probability are not
 * evidence for the class). The occluded copies go through the model in batches.
 */
function occlusionMap(tf: Tf, scores: ClassScores, pixels: Float32Array, shape: readonly [number, number, number], classIndex: number, options: ExplainOptions['occlusion']): AttributionMap {
  const [h, w, c] = shape;
  const patch = Math.min(h, w, options.patch ?? Math.max(1, Math.round(Math.min(h, w) / 7)));
  const stride = options.stride ?? Math.max(1, Math.floor(patch / 2));
  const positions = (size: number) => {
    const starts: number[] = [];
    for (let s = 0; s + patch <= size; s += stride) starts.push(s);
    if (starts.at(-1)! + patch < size) starts.push(size - patch); // the last row/column is covered too
    return starts;
  };
  const squares = positions(h).flatMap((y) => positions(w).map((x) => ({ x, y })));
  const mean = new Float32Array(c);
  for (let i = 0; i < pixels.length; i++) mean[i % c] = mean[i % c]! + pixels[i]! / (h * w);

  const probabilityOf = (batch: Float32Array, n: number): Float32Array => tf.tidy(() =>
    scores.probabilities(tf.tensor4d(batch, [n, h, w, c])).slice([0, classIndex], [-1, 1]).dataSync() as Float32Array);
  const base = probabilityOf(pixels, 1)[0]!;
  const dropSum = new Float32Array(h * w);
  const covered = new Float32Array(h * w);
  const chunk = Math.min(OCCLUSION_CHUNK, batchSizeFor(pixels.length, OCCLUSION_CHUNK));
  for (let start = 0; start < squares.length; start += chunk) {
    const part = squares.slice(start, start + chunk);
    const batch = new Float32Array(part.length * pixels.length);
    part.forEach(({ x, y }, k) => {
      const offset = k * pixels.length;
      batch.set(pixels, offset);
      for (let yy = y; yy < y + patch; yy++) {
        for (let xx = x; xx < x + patch; xx++) batch.set(mean, offset + (yy * w + xx) * c);
      }
    });
    const probabilities = probabilityOf(batch, part.length);
    part.forEach(({ x, y }, k) => {
      const drop = base - probabilities[k]!;
      for (let yy = y; yy < y + patch; yy++) {
        for (let xx = x; xx < x + patch; xx++) {
          dropSum[yy * w + xx] = dropSum[yy * w + xx]! + drop;
          covered[yy * w + xx] = covered[yy * w + xx]! + 1;
        }
      }
    });
  }
  const map = dropSum.map((d, p) => (covered[p]! > 0 ? Math.max(0, d / covered[p]!) : 0));
  return { width: w, height: h, map: normaliseInPlace(map) };
}
