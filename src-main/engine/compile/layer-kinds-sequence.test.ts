import type * as tfType from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { GraphAnalysis } from '../../../src-shared/graph/graph-analysis.ts';
import { MODEL_SPEC_VERSION, type ModelSpec, type Shape } from '../../../src-shared/spec/model-spec.ts';
import { chain, type Step } from '../../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { buildModel, ModelCompileError } from './compile-model.ts';
import { inferredVsBuilt } from '../testing/tfjs-layer-facts.ts';

// The sequence kinds (catalog-sequence.ts) on the real engine: for each kind and several
// configs, what the canvas infers (shape, trainable and non-trainable weights) is what
// tfjs builds, the model runs, and a wrong input is refused in words.

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
});



/**
 * Builds the spec and holds every layer's inferred facts against tfjs', then runs a batch
 * of two through it. Inputs are whole numbers below `idsBelow` (word ids for an Embedding)
 * or uniform in [0, 1). Returns the analysis for further checks.
 */
function matchesTfjs(spec: ModelSpec, idsBelow?: number): GraphAnalysis {
  const analysis = analyzeGraph(spec);
  expect(analysis.issues.filter((i) => i.severity === 'error'), spec.config.name).toEqual([]);
  const model = buildModel(tf, spec);
  try {
    const { inferred, built } = inferredVsBuilt(spec.config.layers.map((l) => l.name), analysis, model);
    expect(built, spec.config.name).toEqual(inferred);
    expect(model.countParams()).toBe(analysis.totals.trainable + analysis.totals.nonTrainable);
    const inputShape = analysis.nodes[analysis.inputs[0]!]!.outputShape as number[];
    const out = tf.tidy(() => {
      const x = idsBelow === undefined ? tf.randomUniform([2, ...inputShape], 0, 1) : tf.floor(tf.randomUniform([2, ...inputShape], 0, idsBelow));
      const y = model.predict(x) as tfType.Tensor;
      return { shape: y.shape, finite: y.isFinite().all().dataSync()[0] === 1 };
    });
    expect(out, spec.config.name).toEqual({ shape: [2, ...(analysis.nodes[analysis.outputs[0]!]!.outputShape as number[])], finite: true });
  } finally {
    model.dispose();
  }
  return analysis;
}

/** A hand-wired graph: [name, class_name, config, inbound]. */
function graph(name: string, layers: ReadonlyArray<readonly [string, string, Record<string, unknown>, string[]]>): ModelSpec {
  return {
    schemaVersion: MODEL_SPEC_VERSION,
    class_name: 'Model',
    config: { name, layers: layers.map(([layerName, className, config, inbound]) => ({ name: layerName, class_name: className, config, inbound })) },
    layout: {},
  };
}

/** The one node of a class in an analysis (chain() picks the names). */
function nodeOf(analysis: GraphAnalysis, className: string) {
  const found = Object.values(analysis.nodes).filter((n) => n.className === className);
  expect(found, className).toHaveLength(1);
  return found[0]!;
}

/** The shape error on the probe layer of a one-layer-after-Input chain. */
function shapeError(inputShape: number[], step: Step): { message: string; fix: unknown } | undefined {
  const analysis = analyzeGraph(chain('probe', inputShape, [step]));
  const issue = nodeOf(analysis, step[0]).issues.find((i) => i.code === 'SHAPE');
  return issue && { message: issue.message, fix: issue.fix };
}

/** Runs a batch through a freshly built model and returns the output as nested arrays. */
function predictValues(spec: ModelSpec, input: number[][] | number[][][]): unknown {
  const model = buildModel(tf, spec);
  try {
    return tf.tidy(() => (model.predict(tf.tensor(input)) as tfType.Tensor).arraySync());
  } finally {
    model.dispose();
  }
}

function closeTo(actual: unknown, expected: number[][], digits = 5): void {
  const rows = actual as number[][];
  expect(rows.length).toBe(expected.length);
  rows.forEach((row, i) => row.forEach((v, j) => expect(v, `[${i}][${j}]`).toBeCloseTo(expected[i]![j]!, digits)));
}

describe('Embedding', () => {
  it('turns (steps) word ids into (steps, output_dim) vectors with input_dim × output_dim weights', () => {
    const a = matchesTfjs(chain('embed', [20], [['Embedding', { input_dim: 1000, output_dim: 16 }]]), 1000);
    expect(nodeOf(a, 'Embedding')).toMatchObject({ outputShape: [20, 16], params: { trainable: 16_000, nonTrainable: 0 }, flops: 0 });
    // mask_zero passes a padding mask on to the LSTM; shapes and weights are unchanged.
    matchesTfjs(chain('embed_masked', [7], [['Embedding', { input_dim: 50, output_dim: 3, mask_zero: true }], ['LSTM', { units: 2 }]]), 50);
    matchesTfjs(chain('embed_pooled', [9], [['Embedding', { input_dim: 30, output_dim: 4 }], ['GlobalAveragePooling1D'], ['Dense', { units: 2 }]]), 30);
  });

  it('on a grid of ids adds the vector axis, as Keras and tfjs do', () => {
    const a = matchesTfjs(chain('embed_grid', [5, 3], [['Embedding', { input_dim: 10, output_dim: 4 }]]), 10);
    expect(nodeOf(a, 'Embedding').outputShape).toEqual([5, 3, 4]);
  });
});

describe('SimpleRNN, LSTM and GRU', () => {
  const CONFIGS: Array<Record<string, unknown>> = [
    {},
    { units: 4 },
    { units: 3, return_sequences: true, use_bias: false },
    { units: 5, activation: 'relu', dropout: 0.2, recurrent_dropout: 0.1 },
    { units: 2, activation: 'linear', return_sequences: true },
  ];

  for (const className of ['SimpleRNN', 'LSTM', 'GRU'] as const) {
    it(`${className} infers what tfjs builds, with and without return_sequences`, () => {
      for (const [i, config] of CONFIGS.entries()) {
        const gated = className !== 'SimpleRNN' && i === 4 ? { ...config, recurrent_activation: 'tanh' } : config;
        // Flatten only after a sequence output; a final state is already flat.
        const steps: Step[] = gated.return_sequences ? [[className, gated], ['Flatten'], ['Dense', { units: 2 }]] : [[className, gated], ['Dense', { units: 2 }]];
        const a = matchesTfjs(chain(`${className.toLowerCase()}_${i}`, [6, 3], steps));
        const node = nodeOf(a, className);
        const units = (gated.units as number | undefined) ?? 32;
        expect(node.outputShape).toEqual(gated.return_sequences ? [6, units] : [units]);
      }
    });
  }

  it('counts weights as tfjs 4.22 builds them (GRU without Keras 3\'s reset_after)', () => {
    const params = (className: string, config: Record<string, unknown>) =>
      nodeOf(matchesTfjs(chain(`count_${className}`, [10, 7], [[className, config]])), className).params?.trainable;
    const [u, f] = [5, 7];
    expect({
      simple: params('SimpleRNN', { units: u }),
      lstm: params('LSTM', { units: u }),
      gru: params('GRU', { units: u }),
      gruNoBias: params('GRU', { units: u, use_bias: false }),
    }).toEqual({
      simple: u * (f + u + 1),
      lstm: 4 * u * (f + u + 1),
      // Keras 3's default GRU (reset_after=True) has a second bias: 3u(f + u) + 2·3u. tfjs
      // only supports reset_after=False, so Strata counts (and builds) that variant.
      gru: 3 * u * (f + u + 1),
      gruNoBias: 3 * u * (f + u),
    });
  });

  it('stacks: a sequence-returning layer feeds the next one', () => {
    const a = matchesTfjs(chain('stacked', [12, 4], [
      ['LSTM', { units: 6, return_sequences: true }], ['GRU', { units: 5, return_sequences: true }], ['SimpleRNN', { units: 3 }], ['Dense', { units: 2, activation: 'softmax' }],
    ]));
    expect(a.totals.trainable).toBe(4 * 6 * (4 + 6 + 1) + 3 * 5 * (6 + 5 + 1) + 3 * (5 + 3 + 1) + (3 * 2 + 2));
  });

  it('estimates FLOPs per step from the gates: 2·gates·units·(features + units) plus the gate arithmetic', () => {
    const flops = (className: string, gates: number) => {
      const node = nodeOf(analyzeGraph(chain('flops', [10, 7], [[className, { units: 5 }]])), className);
      return { actual: node.flops, estimate: 10 * (2 * gates * 5 * (7 + 5)) };
    };
    for (const [className, gates] of [['SimpleRNN', 1], ['LSTM', 4], ['GRU', 3]] as const) {
      const { actual, estimate } = flops(className, gates);
      expect(actual, className).toBeGreaterThanOrEqual(estimate);
      expect(actual, className).toBeLessThan(estimate * 1.5);
    }
  });
});

describe('Bidirectional', () => {
  it('wraps each recurrent kind in every merge mode: concat doubles the units, the others keep them', () => {
    for (const inner of ['SimpleRNN', 'LSTM', 'GRU'] as const) {
      for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) {
        for (const returnSequences of [false, true]) {
          const config = { layer: { class_name: inner, config: { units: 3, return_sequences: returnSequences } }, merge_mode: mergeMode };
          const a = matchesTfjs(chain(`bi_${inner}_${mergeMode}_${returnSequences}`, [5, 4], [['Bidirectional', config]]));
          const node = nodeOf(a, 'Bidirectional');
          const units = mergeMode === 'concat' ? 6 : 3;
          const gates = { SimpleRNN: 1, LSTM: 4, GRU: 3 }[inner];
          expect({ shape: node.outputShape, params: node.params }).toEqual({
            shape: returnSequences ? [5, units] : [units],
            params: { trainable: 2 * gates * 3 * (4 + 3 + 1), nonTrainable: 0 },
          });
        }
      }
    }
  });

  it('defaults to a concatenated LSTM of 32 and works inside a text model', () => {
    const a = matchesTfjs(chain('bi_text', [15], [
      ['Embedding', { input_dim: 100, output_dim: 8 }], ['Bidirectional'], ['Dense', { units: 4, activation: 'softmax' }],
    ]), 100);
    expect(nodeOf(a, 'Bidirectional').outputShape).toEqual([64]);
  });
});

describe('RepeatVector and Permute', () => {
  it('RepeatVector turns (features) into (n, features), e.g. to feed a decoder', () => {
    const a = matchesTfjs(chain('repeat', [4], [
      ['Dense', { units: 3 }], ['RepeatVector', { n: 5 }], ['GRU', { units: 2, return_sequences: true }], ['Flatten'],
    ]));
    expect(nodeOf(a, 'RepeatVector')).toMatchObject({ outputShape: [5, 3], params: { trainable: 0, nonTrainable: 0 }, flops: 0 });
  });

  it('Permute reorders the non-batch axes by a 1-based list', () => {
    const cases: Array<[number[], number[], Shape]> = [
      [[5, 3], [2, 1], [3, 5]],
      [[5, 3], [1, 2], [5, 3]],
      [[4, 6, 2], [3, 1, 2], [2, 4, 6]],
      [[4, 6, 2], [2, 1, 3], [6, 4, 2]],
    ];
    for (const [inputShape, dims, expected] of cases) {
      const a = matchesTfjs(chain(`permute_${dims.join('')}`, inputShape, [['Permute', { dims }]]));
      expect(nodeOf(a, 'Permute').outputShape, JSON.stringify(dims)).toEqual(expected);
    }
    // And it really moves the values: (2, 3) → (3, 2) is a transpose per sample.
    expect(predictValues(chain('transpose', [2, 3], [['Permute', { dims: [2, 1] }]]), [[[1, 2, 3], [4, 5, 6]]]))
      .toEqual([[[1, 4], [2, 5], [3, 6]]]);
  });
});

describe('LayerNormalization, SpatialDropout1D/2D, Rescaling, LeakyReLU', () => {
  it('LayerNormalization learns a scale and a shift per value of its axis', () => {
    const cases: Array<[number[], Record<string, unknown>, number]> = [
      [[10], {}, 20],
      [[5, 3], {}, 6],
      [[5, 3], { axis: 1 }, 10],
      [[4, 4, 3], { epsilon: 1e-5 }, 6],
      [[4, 5, 3], { axis: -2 }, 10],
    ];
    for (const [inputShape, config, trainable] of cases) {
      const a = matchesTfjs(chain(`ln_${inputShape.join('x')}`, inputShape, [['LayerNormalization', config]]));
      const node = nodeOf(a, 'LayerNormalization');
      expect({ shape: node.outputShape, params: node.params, flops: node.flops }, JSON.stringify(config))
        .toEqual({ shape: inputShape, params: { trainable, nonTrainable: 0 }, flops: 5 * inputShape.reduce((x, y) => x * y, 1) });
    }
    // Freshly built (scale 1, shift 0) it centres each sample and scales it to unit variance.
    const [row] = predictValues(chain('ln_values', [4], [['LayerNormalization', {}]]), [[1, 2, 3, 4]]) as number[][];
    const mean = row!.reduce((x, y) => x + y, 0) / 4;
    const variance = row!.reduce((x, y) => x + (y - mean) ** 2, 0) / 4;
    expect({ mean: Math.abs(mean) < 1e-5, variance: Math.abs(variance - 1) < 1e-2 }).toEqual({ mean: true, variance: true });
  });

  it('SpatialDropout1D and SpatialDropout2D keep the shape and have no weights', () => {
    const one = matchesTfjs(chain('sd1', [6, 4], [['SpatialDropout1D', { rate: 0.3 }], ['Conv1D', { filters: 2 }]]));
    expect(nodeOf(one, 'SpatialDropout1D')).toMatchObject({ outputShape: [6, 4], params: { trainable: 0, nonTrainable: 0 }, flops: 0 });
    const two = matchesTfjs(chain('sd2', [6, 6, 3], [['Conv2D', { filters: 4 }], ['SpatialDropout2D', { rate: 0.5 }], ['GlobalAveragePooling2D']]));
    expect(nodeOf(two, 'SpatialDropout2D')).toMatchObject({ outputShape: [4, 4, 4], params: { trainable: 0, nonTrainable: 0 }, flops: 0 });
    matchesTfjs(chain('sd2_default', [5, 7, 2], [['SpatialDropout2D']]));
  });

  it('SpatialDropout2D drops whole channels while training and nothing at inference', () => {
    const model = buildModel(tf, chain('sd2_mask', [4, 4, 6], [['SpatialDropout2D', { rate: 0.5 }]]));
    try {
      const layer = model.layers.find((l) => l.name.startsWith('spatial'))!;
      const { trainingMask, inference } = tf.tidy(() => {
        const ones = tf.ones([3, 4, 4, 6]);
        const dropped = layer.apply(ones, { training: true }) as tfType.Tensor;
        return { trainingMask: dropped.arraySync() as number[][][][], inference: (model.predict(ones) as tfType.Tensor).arraySync() as number[][][][] };
      });
      // Per sample and channel, all 16 pixels share one fate: all 0, or all 1 / (1 − rate).
      for (const sample of trainingMask) {
        for (let c = 0; c < 6; c++) {
          const values = new Set(sample.flat().map((px) => px[c]));
          expect(values.size).toBe(1);
          expect([0, 2]).toContain([...values][0]);
        }
      }
      expect(new Set(inference.flat(3))).toEqual(new Set([1]));
    } finally {
      model.dispose();
    }
  });

  it('Rescaling computes value × scale + offset inside the model', () => {
    const a = matchesTfjs(chain('rescale_default', [8, 8, 3], [['Rescaling'], ['Conv2D', { filters: 2 }]]));
    expect(nodeOf(a, 'Rescaling')).toMatchObject({ outputShape: [8, 8, 3], params: { trainable: 0, nonTrainable: 0 }, flops: 2 * 8 * 8 * 3 });
    closeTo(predictValues(chain('rescale_255', [3], [['Rescaling']]), [[0, 127.5, 255]]), [[0, 0.5, 1]]);
    closeTo(predictValues(chain('rescale_sym', [3], [['Rescaling', { scale: 1 / 127.5, offset: -1 }]]), [[0, 127.5, 255]]), [[-1, 0, 1]]);
  });

  it('LeakyReLU lets alpha × negative values through (tfjs and Strata name it alpha; Keras 3 negative_slope)', () => {
    matchesTfjs(chain('leaky', [4, 4, 2], [['LeakyReLU', { alpha: 0.2 }]]));
    closeTo(predictValues(chain('leaky_values', [3], [['LeakyReLU', { alpha: 0.1 }]]), [[-10, 0, 5]]), [[-1, 0, 5]]);
    closeTo(predictValues(chain('leaky_default', [2], [['LeakyReLU']]), [[-10, 5]]), [[-3, 5]]);
  });

  it('gelu is an activation tfjs knows by that name', () => {
    matchesTfjs(chain('gelu_dense', [6], [['Dense', { units: 4, activation: 'gelu' }]]));
    // gelu(x) = x · Φ(x): Φ(−1) ≈ 0.1587, Φ(1) ≈ 0.8413.
    closeTo(predictValues(chain('gelu_values', [3], [['Activation', { activation: 'gelu' }]]), [[-1, 0, 1]]), [[-0.158655, 0, 0.841345]], 3);
  });
});

describe('Multiply, Average and Maximum', () => {
  /** x → two or three branches (x, relu(x), 2x) → the merge. */
  function merged(className: string, inputShape: number[], branches: 2 | 3): ModelSpec {
    const all: Array<readonly [string, string, Record<string, unknown>, string[]]> = [
      ['same', 'Activation', { activation: 'linear' }, ['x']],
      ['positive', 'Activation', { activation: 'relu' }, ['x']],
      ['doubled', 'Rescaling', { scale: 2, offset: 0 }, ['x']],
    ];
    const used = all.slice(0, branches);
    return graph(`${className}_${branches}`, [['x', 'Input', { shape: inputShape }, []], ...used, ['merge', className, {}, used.map(([n]) => n)]]);
  }

  it('merge 2 or more inputs of one shape into that shape, with no weights', () => {
    for (const className of ['Multiply', 'Average', 'Maximum']) {
      for (const [inputShape, branches] of [[[4], 2], [[4], 3], [[3, 2], 2], [[2, 2, 3], 3]] as const) {
        const a = matchesTfjs(merged(className, [...inputShape], branches));
        const size = inputShape.reduce((x, y) => x * y, 1);
        expect(a.nodes.merge, `${className} ${branches}`).toMatchObject({ outputShape: inputShape, params: { trainable: 0, nonTrainable: 0 }, flops: (branches - 1) * size });
      }
    }
  });

  it('compute value by value what their names say', () => {
    const x = [[-2, -0.5, 1, 3]];
    expect({
      multiply: predictValues(merged('Multiply', [4], 3), x),
      average: predictValues(merged('Average', [4], 2), x),
      maximum: predictValues(merged('Maximum', [4], 2), x),
    }).toEqual({
      // x · relu(x) · 2x, with −0 written as 0 (toEqual tells them apart).
      multiply: [x[0]!.map((v) => v * Math.max(v, 0) * 2 * v + 0)],
      average: [x[0]!.map((v) => (v + Math.max(v, 0)) / 2)],
      maximum: [x[0]!.map((v) => Math.max(v, 0))],
    });
  });

  it('a merge also joins two recurrent branches of one sequence', () => {
    const a = matchesTfjs(graph('rnn_gate', [
      ['x', 'Input', { shape: [6, 3] }, []],
      ['lstm', 'LSTM', { units: 4, return_sequences: true }, ['x']],
      ['gru', 'GRU', { units: 4, return_sequences: true, activation: 'sigmoid' }, ['x']],
      ['gate', 'Multiply', {}, ['lstm', 'gru']],
      ['norm', 'LayerNormalization', {}, ['gate']],
      ['last', 'SimpleRNN', { units: 2 }, ['norm']],
    ]));
    expect(a.nodes.gate!.outputShape).toEqual([6, 4]);
  });
});

describe('clear errors for inputs these kinds cannot take', () => {
  it('a recurrent layer on a flat vector suggests RepeatVector, Reshape or Embedding', () => {
    const message = 'needs a sequence input (steps, features) but gets (10) — insert a RepeatVector or a Reshape to (steps, features) before it, or an Embedding for word ids';
    for (const className of ['SimpleRNN', 'LSTM', 'GRU']) {
      expect(shapeError([10], [className, { units: 4 }])?.message).toBe(`${className} ${message}`);
    }
    expect(shapeError([10], ['Bidirectional'])?.message).toBe(`LSTM ${message}`);
    expect(shapeError([8, 8, 3], ['LSTM'])?.message)
      .toBe('LSTM needs a sequence input (steps, features) but gets (8, 8, 3) — reshape it to (steps, features) first');
  });

  it('and the engine refuses to build it, naming the layer', () => {
    let caught: unknown;
    try {
      buildModel(tf, chain('flat_lstm', [10], [['LSTM', { units: 4 }]]));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ModelCompileError);
    expect((caught as ModelCompileError).message).toMatch(/lstm\S* \(LSTM\): LSTM needs a sequence input/);
  });

  it('Permute with a dims list that is not a permutation of the input\'s axes', () => {
    expect({
      repeated: shapeError([5, 3], ['Permute', { dims: [1, 1] }])?.message,
      outOfRange: shapeError([5, 3], ['Permute', { dims: [3, 1] }])?.message,
      tooShort: shapeError([4, 4, 3], ['Permute', { dims: [2, 1] }])?.message,
    }).toEqual({
      repeated: "Permute's dims [1,1] must list each of the input's 2 axes once (1 to 2), e.g. [2,1]",
      outOfRange: "Permute's dims [3,1] must list each of the input's 2 axes once (1 to 2), e.g. [2,1]",
      tooShort: "Permute's dims [2,1] must list each of the input's 3 axes once (1 to 3), e.g. [3,2,1]",
    });
    expect(analyzeGraph(chain('permute_zero', [5, 3], [['Permute', { dims: [0, 1] }]])).issues.map((i) => [i.code, i.message]))
      .toContainEqual(['BAD_PARAM', 'dims count axes from 1']);
  });

  it('Multiply, Average and Maximum of mismatched shapes', () => {
    for (const className of ['Multiply', 'Average', 'Maximum']) {
      const a = analyzeGraph(graph('mismatch', [
        ['x', 'Input', { shape: [10] }, []],
        ['a', 'Dense', { units: 4 }, ['x']],
        ['b', 'Dense', { units: 5 }, ['x']],
        ['m', className, {}, ['a', 'b']],
      ]));
      expect(a.nodes.m!.issues.map((i) => i.message)).toEqual([`${className} needs inputs of the same shape but gets (4) and (5)`]);
    }
  });

  it('SpatialDropout2D on a sequence or a flat vector, which tfjs refuses too', () => {
    expect(shapeError([6, 4], ['SpatialDropout2D'])?.message)
      .toBe('SpatialDropout2D drops channels of an image (height, width, channels) but gets the sequence (6, 4) — use SpatialDropout1D');
    expect(shapeError([12], ['SpatialDropout2D'])).toEqual({
      message: 'SpatialDropout2D needs an image-shaped input (height, width, channels) but gets (12) — insert a Reshape',
      fix: { label: 'Insert a Reshape to (2, 2, 3)', insertBefore: { class_name: 'Reshape', config: { target_shape: [2, 2, 3] } } },
    });
    // Keras checks the rank (InputSpec ndim=4); the engine's Dropout-based build does too.
    expect(() => buildModel(tf, chain('sd2_seq', [6, 4], [['SpatialDropout2D']]), { skipAnalysis: true })).toThrow(/expected ndim=4, found ndim=3/);
  });

  it('SpatialDropout1D on an image', () => {
    expect(shapeError([4, 4, 3], ['SpatialDropout1D'])?.message)
      .toBe('SpatialDropout1D needs a sequence input (steps, features) but gets (4, 4, 3) — reshape it to (steps, features) first');
  });

  it('RepeatVector on a sequence, and a Bidirectional whose wrapped layer is misconfigured', () => {
    expect(shapeError([5, 3], ['RepeatVector'])?.message)
      .toBe('RepeatVector needs a flat vector but gets (5, 3) — insert a Flatten or GlobalAveragePooling first');
    expect(shapeError([5, 3], ['Bidirectional', { layer: { class_name: 'GRU', config: { units: 0 } } }])?.message)
      .toBe("Bidirectional's GRU: units must be at least 1");
  });
});

describe('a text classifier: Input[20] → Embedding(1000, 16) → LSTM(8) → Dense(3, softmax)', () => {
  const spec = () => chain('text_classifier', [20], [
    ['Embedding', { input_dim: 1000, output_dim: 16 }], ['LSTM', { units: 8 }], ['Dense', { units: 3, activation: 'softmax' }],
  ]);

  it('builds as inferred and predicts one distribution over 3 classes per text', () => {
    const a = matchesTfjs(spec(), 1000);
    expect(a.totals.trainable).toBe(1000 * 16 + 4 * 8 * (16 + 8 + 1) + (8 * 3 + 3));
    const model = buildModel(tf, spec());
    try {
      const rows = tf.tidy(() => (model.predict(tf.floor(tf.randomUniform([4, 20], 0, 1000))) as tfType.Tensor).arraySync()) as number[][];
      expect(rows).toHaveLength(4);
      for (const row of rows) {
        expect(row).toHaveLength(3);
        expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      }
    } finally {
      model.dispose();
    }
  });

  it('trains: a few steps on a separable toy task lower the loss', async () => {
    const model = buildModel(tf, spec());
    try {
      model.compile({ optimizer: tf.train.adam(0.02), loss: 'sparseCategoricalCrossentropy' });
      // Class = which third of the vocabulary the first word comes from.
      const ids = tf.tidy(() => tf.floor(tf.randomUniform([48, 20], 0, 1000, 'float32', 7)));
      const labels = tf.tidy(() => tf.floor(ids.slice([0, 0], [48, 1]).div(334)).reshape([48]));
      const history = await model.fit(ids, labels, { epochs: 8, batchSize: 16, verbose: 0, shuffle: false });
      tf.dispose([ids, labels]);
      const losses = history.history.loss as number[];
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    } finally {
      model.dispose();
    }
  });
});
