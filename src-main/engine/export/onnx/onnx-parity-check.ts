import type * as tfType from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import type { ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { seededRandom } from '../../../../src-shared/util/seeded-random.ts';
import type { Tf } from '../../backend/load-engine-backend.ts';
import { buildModel } from '../../compile/compile-model.ts';
import { convertToOnnx, type OnnxModel } from './onnx-convert.ts';
import { openOnnxModel } from './onnx-predict.ts';

/**
 * The converter's proof on any spec, without a training run: build the spec in tfjs,
 * give every weight random non-trivial values (fresh biases are zero and fresh batch
 * statistics are 0 and 1, which would hide a wrong axis or a dropped bias), convert, and
 * hold onnxruntime's outputs against tfjs' predict on random inputs. Used by the tests.
 */

export interface OnnxParity {
  /** Largest |tfjs − onnxruntime| over every output value of every input batch. */
  maxAbsDiff: number;
  /** Output values compared. */
  values: number;
  /** Largest minus smallest tfjs output: a model whose outputs barely vary would prove little. */
  spread: number;
  converted: OnnxModel;
}

/**
 * Sets every weight from a seeded generator, so a model's values — and a failure — reproduce
 * whatever its initializers drew: kernels, embeddings and recurrent kernels (every weight of
 * rank ≥ 2) get fresh Glorot-uniform draws (the initializers' own draws are not seeded, and
 * an orthogonal recurrent kernel made one model's output spread differ from run to run);
 * vectors (biases, gammas, betas, moving means) keep their fixed zeros/ones shifted by noise
 * in ±0.25, so they become something else; moving variances come from [0.5, 1.5].
 */
export function randomizeWeights(tf: Tf, model: tfType.LayersModel, seed: number): void {
  const next = seededRandom(seed);
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    const fresh = layer.weights.map((variable, i) => {
      const values = Float32Array.from(weights[i]!.dataSync());
      const shape = variable.shape as number[];
      const variance = variable.name.includes('moving_variance');
      const limit = shape.length >= 2 ? glorotLimit(shape) : 0;
      for (let k = 0; k < values.length; k++) {
        values[k] = variance ? 0.5 + next() : limit > 0 ? (next() * 2 - 1) * limit : values[k]! + (next() - 0.5) * 0.5;
      }
      return tf.tensor(values, weights[i]!.shape);
    });
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
}

/** Glorot-uniform's bound for a kernel laid out [...receptive field, fan in, fan out]. */
function glorotLimit(shape: readonly number[]): number {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = shape[shape.length - 2]! * receptive;
  const fanOut = shape[shape.length - 1]! * receptive;
  return Math.sqrt(6 / (fanIn + fanOut));
}

/** Inputs for a spec: word ids below the vocabulary for a model that starts with an Embedding, else uniform [-1, 1). */
function randomInputs(spec: ModelSpec, sampleShape: readonly number[], batch: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  const input = spec.config.layers.find((l) => l.class_name === 'Input')?.name;
  const embedding = spec.config.layers.find((l) => l.class_name === 'Embedding' && l.inbound.includes(input ?? ''));
  const vocab = embedding ? Number(embedding.config.input_dim ?? 1000) : 0;
  const size = batch * sampleShape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => (vocab > 0 ? Math.floor(next() * vocab) : next() * 2 - 1));
}

/** Builds, randomises, converts and compares on `batches` random batches of `batch` samples. */
export async function onnxParity(tf: Tf, spec: ModelSpec, options: { seed?: number; batches?: number; batch?: number } = {}): Promise<OnnxParity> {
  const { seed = 1, batches = 2, batch = 3 } = options;
  const analysis = analyzeGraph(spec);
  const sampleShape = analysis.nodes[analysis.inputs[0]!]!.outputShape as number[];
  const model = buildModel(tf, spec);
  try {
    randomizeWeights(tf, model, seed);
    const converted = convertToOnnx(tf, model, spec);
    const predictor = await openOnnxModel(converted.bytes);
    let maxAbsDiff = 0;
    let values = 0;
    let [low, high] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    try {
      for (let b = 0; b < batches; b++) {
        const size = b === 0 ? 1 : batch; // a batch of one too: the batch axis must stay free
        const x = randomInputs(spec, sampleShape, size, seed * 1000 + b);
        const expected = tf.tidy(() => (model.predict(tf.tensor(x, [size, ...sampleShape])) as tfType.Tensor).dataSync());
        const actual = await predictor.predict(x, [size, ...sampleShape]);
        if (actual.length !== expected.length) throw new Error(`${spec.config.name}: onnxruntime gave ${actual.length} values, tfjs ${expected.length}`);
        for (let i = 0; i < actual.length; i++) {
          const d = Math.abs(actual[i]! - expected[i]!);
          maxAbsDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(maxAbsDiff, d);
          [low, high] = [Math.min(low, expected[i]!), Math.max(high, expected[i]!)];
        }
        values += actual.length;
      }
    } finally {
      await predictor.release();
    }
    return { maxAbsDiff, values, spread: high - low, converted };
  } finally {
    model.dispose();
  }
}
