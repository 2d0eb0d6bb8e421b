import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportResultSchema } from '../../../../src-shared/contract/export.ts';
import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import { LAYER_CATALOG } from '../../../../src-shared/layers/layer-catalog.ts';
import type { ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { chain, TEMPLATES } from '../../../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../../backend/load-engine-backend.ts';
import { buildModel } from '../../compile/compile-model.ts';
import { randomModelSpec, seededRandom } from '../../compile/random-model-specs.ts';
import { trainTinyDigitsRun } from '../../testing/train-tiny-run.ts';
import { exportRecordFile } from '../export-record.ts';
import { findPythonKeras, pythonKerasMissing } from '../python-runtime.ts';
import { KERAS_COVERAGE_MODELS, type CoverageModel } from './keras-coverage-specs.ts';
import { exportKeras } from './keras-export.ts';
import { kerasLayerKind, KERAS_EXPORTABLE } from './keras-layer-configs.ts';
import { kerasSnakeCase } from './keras-layer-order.ts';
import { rewriteForKeras } from './keras-rewrites.ts';
import { writeKerasFile } from './keras-file.ts';
import { predictWithKeras, type KerasPredictRun } from './keras-predict-runner.ts';

// Every template, 16 random graphs and hand-wired models covering the rest of the catalog
// are written as .keras files from tfjs models with random weights; ONE Python process
// loads them all with keras.models.load_model and predicts; the outputs must be tfjs'.

const RANDOM_GRAPHS = 16;
const TOLERANCE = 1e-4;
const python = findPythonKeras();
const pythonRequired = process.env.STRATA_REQUIRE_PYTHON === '1';
if (!python && !pythonRequired) console.log(`[keras export tests] skipped: ${pythonKerasMissing()}`);

let tf: Tf;
let work: string;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keras-export-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it.runIf(pythonRequired)('finds a Python with Keras (STRATA_REQUIRE_PYTHON=1)', () => {
  expect(python, pythonKerasMissing()).not.toBeNull();
});

describe('the Keras layer mapping', () => {
  it('covers every catalog kind, and refuses an unknown one by name before writing', () => {
    expect([...KERAS_EXPORTABLE].sort()).toEqual([...LAYER_CATALOG.keys()].sort());
    expect(() => kerasLayerKind('Attention', 'attn_1', {})).toThrow(expect.objectContaining({ code: 'KERAS_UNSUPPORTED', message: expect.stringContaining('attn_1 (Attention)') }));
  });

  it("names weight groups as Keras' to_snake_case does", () => {
    expect(['Conv2DTranspose', 'LeakyReLU', 'UpSampling2D', 'SimpleRNN', 'LSTM', 'InputLayer', 'GlobalAveragePooling1D'].map(kerasSnakeCase))
      .toEqual(['conv2d_transpose', 'leaky_re_lu', 'up_sampling2d', 'simple_rnn', 'lstm', 'input_layer', 'global_average_pooling1d']);
  });
});

describe('the rewrite of bilinear UpSampling2D into layers Keras computes as tfjs does', () => {
  it('gives tfjs\' own outputs, in tfjs, for several sizes and factors', () => {
    const outputs = (spec: ModelSpec, x: tfType.Tensor): number[] => {
      const model = buildModel(tf, spec);
      try {
        return Array.from(tf.tidy(() => (model.predict(x) as tfType.Tensor).dataSync()));
      } finally {
        model.dispose();
      }
    };
    for (const [h, w, size] of [[5, 6, [2, 3]], [1, 4, [3, 1]], [3, 2, [1, 2]], [4, 4, [4, 4]], [2, 2, [1, 1]]] as const) {
      const spec = chain('bilinear', [h, w, 2], [['UpSampling2D', { size, interpolation: 'bilinear' }]]);
      const rewritten = rewriteForKeras(spec);
      expect(rewritten.spec.config.layers.some((l) => l.class_name === 'UpSampling2D' && l.config.interpolation === 'bilinear')).toBe(false);
      const x = tf.randomUniform([2, h, w, 2], -1, 1, 'float32', 7);
      const [want, got] = [outputs(spec, x), outputs(rewritten.spec, x)];
      x.dispose();
      expect(got.length, `${h}x${w} by ${size}`).toBe(want.length);
      expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]!))), `${h}x${w} by ${size}`).toBeLessThan(1e-6);
    }
  });
});

/** Strata's side of one parity case: the written file, the inputs and tfjs' outputs. */
interface Case {
  id: string;
  classes: Set<string>;
  file: string;
  x: Float32Array;
  shape: number[];
  expected: Float32Array;
}

/**
 * Random values for every vector (biases, BatchNormalization's gamma/beta/moving stats):
 * fresh ones are zeros and ones, which would hide a swapped bias or a misplaced mean.
 * Kernels keep their random Glorot/orthogonal start.
 */
function randomizeVectors(model: tfType.LayersModel, seed: number): void {
  const rng = seededRandom(seed);
  for (const layer of model.layers) {
    const values = layer.getWeights().map((w, i) => {
      if (w.shape.length !== 1) return w;
      const name = layer.weights[i]!.name;
      const [lo, hi] = name.includes('variance') ? [0.5, 1.5] : name.includes('gamma') ? [0.7, 1.3] : [-0.3, 0.3];
      return tf.tensor1d(Array.from({ length: w.shape[0]! }, () => lo + (hi - lo) * rng.next()));
    });
    layer.setWeights(values);
  }
}

async function makeCase(id: string, spec: ModelSpec, seed: number, idsBelow?: number): Promise<Case> {
  const model = buildModel(tf, spec);
  try {
    randomizeVectors(model, seed);
    const analysis = analyzeGraph(spec);
    const shape = [4, ...(analysis.nodes[analysis.inputs[0]!]!.outputShape as number[])];
    const rng = seededRandom(seed + 1000);
    const steps = shape[1]!;
    // Word ids start with padding (0) as a padded text batch does, so masks are exercised.
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (idsBelow === undefined ? rng.next() : i % steps < 3 ? 0 : Math.floor(rng.next() * idsBelow)));
    const expected = tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tfType.Tensor).dataSync() as Float32Array);
    const file = path.join(work, `${id}.keras`);
    await writeKerasFile(tf, model, spec, file);
    return { id, classes: new Set(spec.config.layers.map((l) => l.class_name)), file, x, shape, expected: Float32Array.from(expected) };
  } finally {
    model.dispose();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return Number.NaN;
    if (d > max) max = d;
  }
  return max;
}

describe.skipIf(!python && !pythonRequired)('Keras 3 loads the export and predicts as tfjs does', () => {
  const cases: Case[] = [];
  let keras: KerasPredictRun;

  beforeAll(async () => {
    if (!python) throw new Error(`STRATA_REQUIRE_PYTHON=1 but ${pythonKerasMissing()}`);
    const textIds = (spec: ModelSpec) => spec.config.layers.some((l) => l.class_name === 'Embedding') ? 50 : undefined;
    for (const [i, template] of TEMPLATES.entries()) {
      // Small vocabularies keep the text template's ids valid and the file small.
      const spec = template.build(template.id === 'lstm-text' ? { vocabSize: 50, classes: 4 } : undefined);
      cases.push(await makeCase(`template_${template.id}`, spec, i + 1, textIds(spec)));
    }
    for (let seed = 1; seed <= RANDOM_GRAPHS; seed++) cases.push(await makeCase(`random_${seed}`, randomModelSpec(seed), 100 + seed));
    for (const [i, { spec, idsBelow }] of KERAS_COVERAGE_MODELS.entries() as IterableIterator<[number, CoverageModel]>) {
      cases.push(await makeCase(spec.config.name, spec, 200 + i, idsBelow));
    }
    keras = predictWithKeras(python.python, cases.map((c) => ({ model: c.file, x: c.x, shape: c.shape })));
  });

  it('puts every catalog kind through the check', () => {
    const seen = new Set(cases.flatMap((c) => [...c.classes]));
    expect([...LAYER_CATALOG.keys()].filter((k) => !seen.has(k))).toEqual([]);
  });

  it(`matches tfjs within ${TOLERANCE} on every template, ${RANDOM_GRAPHS} random graphs and the coverage models`, () => {
    let worst = 0;
    const outcomes = cases.map((c, i) => {
      const r = keras.results[i]!;
      if (!r.ok) return { id: c.id, error: r.error };
      const diff = maxAbsDiff(c.expected, r.values);
      worst = Math.max(worst, diff);
      return { id: c.id, ...(!(diff < TOLERANCE) && { maxAbsDiff: diff }) };
    });
    console.log(`[keras export tests] ${cases.length} models through Keras ${keras.keras} (TensorFlow ${keras.tensorflow}): largest difference ${worst.toExponential(2)}`);
    expect(outcomes).toEqual(cases.map((c) => ({ id: c.id })));
  });

  it('writes the three entries Keras writes, and config.json in its functional format', () => {
    const lenet = cases.find((c) => c.id === 'template_lenet')!;
    const entries = unzipSync(new Uint8Array(fs.readFileSync(lenet.file)));
    expect(Object.keys(entries).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as { class_name: string; config: { layers: Array<{ class_name: string; inbound_nodes: unknown[] }>; input_layers: unknown; output_layers: unknown } };
    expect(config.class_name).toBe('Functional');
    expect(config.config.layers.map((l) => l.class_name)).toEqual(['InputLayer', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense', 'Dense']);
    expect([config.config.input_layers, config.config.output_layers]).toEqual([['input_1', 0, 0], ['dense_3', 0, 0]]);
  });
});

describe.skipIf(!python && !pythonRequired)('exportKeras on a trained run', () => {
  it('writes the .keras file, proves parity in Keras and records the export', async () => {
    if (!python) throw new Error(`STRATA_REQUIRE_PYTHON=1 but ${pythonKerasMissing()}`);
    const runDir = await trainTinyDigitsRun(work);

    const out = path.join(work, 'tiny.keras');
    const result = await exportKeras(runDir, out);
    expect(result.parity, JSON.stringify(result.parity)).toMatchObject({ format: 'keras', passed: true, skipped: null, argmaxAgreement: 1 });
    expect(result.parity!.runtime).toBe(`Keras ${python.keras} (TensorFlow ${python.tensorflow})`);
    expect(result.parity!.samples).toBeGreaterThan(0);
    expect(result.parity!.maxAbsDiff).toBeLessThan(TOLERANCE);
    expect(result.files).toEqual([out]);
    const recorded = ExportResultSchema.parse(JSON.parse(fs.readFileSync(exportRecordFile(runDir, 'keras'), 'utf8')));
    expect(recorded).toEqual(result);
  });
});
