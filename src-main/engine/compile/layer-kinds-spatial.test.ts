import type * as tfType from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { NodeAnalysis } from '../../../src-shared/graph/graph-analysis.ts';
import { getLayerKind } from '../../../src-shared/layers/layer-catalog.ts';
import { LayerShapeError, type LayerFix } from '../../../src-shared/layers/layer-kind.ts';
import type { Shape } from '../../../src-shared/spec/model-spec.ts';
import { chain, type Step } from '../../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { buildModel, ModelCompileError } from './compile-model.ts';
import { inferredVsBuilt } from '../testing/tfjs-layer-facts.ts';

// The spatial kinds (convolution variants, 1-D and global pooling, resize/pad/crop) held
// one by one against what tfjs-node really builds: for hand-picked configurations — odd
// sizes, strides, 'same' and 'valid', dilation, depth multipliers — the canvas' shape and
// weight counts must equal tfjs', and also the Keras arithmetic written out by hand here.
// catalog-properties.test.ts covers the same kinds with random parameters; this file pins
// the cases a person is likely to draw and the ones where tfjs differs from Keras.

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
});


/**
 * Builds Input → steps with tfjs and checks every layer: output shape without the batch,
 * trainable and non-trainable weights as inferred; then runs a batch of two through it.
 * Returns the analysis node of the first step (the kind under test).
 */
function holdAgainstTfjs(inputShape: readonly number[], steps: readonly Step[]): NodeAnalysis {
  const spec = chain('spatial_probe', inputShape, steps);
  const analysis = analyzeGraph(spec);
  expect(analysis.issues).toEqual([]);
  const model = buildModel(tf, spec);
  try {
    const { inferred, built } = inferredVsBuilt(spec.config.layers.map((l) => l.name), analysis, model);
    expect(built).toEqual(inferred);
    expect(model.countParams()).toBe(analysis.totals.trainable + analysis.totals.nonTrainable);
    const out = tf.tidy(() => (model.predict(tf.randomUniform([2, ...inputShape])) as tfType.Tensor).shape);
    expect(out).toEqual([2, ...(analysis.nodes[analysis.outputs[0]!]!.outputShape as number[])]);
  } finally {
    model.dispose();
  }
  const probe = spec.config.layers[1]!;
  return analysis.nodes[probe.name]!;
}

/** [input shape, config, expected output shape, expected trainable weights] */
type Case = [input: number[], config: Record<string, unknown>, shape: number[], trainable: number];

function checkCases(className: string, cases: readonly Case[]): void {
  for (const [input, config, shape, trainable] of cases) {
    it(`${JSON.stringify(config)} on ${JSON.stringify(input)}`, () => {
      const node = holdAgainstTfjs(input, [[className, config]]);
      expect({ shape: node.outputShape, trainable: node.params?.trainable, nonTrainable: node.params?.nonTrainable })
        .toEqual({ shape, trainable, nonTrainable: 0 });
      expect(node.flops).toBeGreaterThanOrEqual(0);
    });
  }
}

describe('the spatial kinds build in tfjs exactly as inferred', () => {
  describe('Conv1D', () => checkCases('Conv1D', [
    [[20, 3], {}, [18, 32], 3 * 3 * 32 + 32],
    [[20, 3], { filters: 8, kernel_size: 5, strides: 2 }, [8, 8], 5 * 3 * 8 + 8],
    [[17, 5], { filters: 4, kernel_size: 4, strides: 3, padding: 'same' }, [6, 4], 4 * 5 * 4 + 4],
    [[15, 2], { filters: 6, kernel_size: 3, dilation_rate: 2 }, [11, 6], 3 * 2 * 6 + 6],
    [[12, 3], { filters: 6, kernel_size: 3, dilation_rate: 3, padding: 'same' }, [12, 6], 3 * 3 * 6 + 6],
    [[7, 2], { filters: 5, kernel_size: 7, use_bias: false, activation: 'linear' }, [1, 5], 7 * 2 * 5],
    [[9, 1], { filters: 1, kernel_size: 1, activation: 'softmax' }, [9, 1], 2],
  ]));

  // 'valid' grows each side to n·stride + max(kernel − stride, 0) (tfjs' deconvLength).
  describe('Conv2DTranspose', () => checkCases('Conv2DTranspose', [
    [[7, 7, 4], {}, [15, 15, 32], 3 * 3 * 4 * 32 + 32],
    [[5, 7, 3], { filters: 8, padding: 'same' }, [10, 14, 8], 9 * 3 * 8 + 8],
    [[5, 7, 3], { filters: 4, kernel_size: [3, 2], strides: [2, 3], padding: 'same' }, [10, 21, 4], 6 * 3 * 4 + 4],
    [[4, 6, 3], { filters: 2, kernel_size: [5, 5], strides: [1, 1] }, [8, 10, 2], 25 * 3 * 2 + 2],
    [[3, 3, 1], { filters: 3, kernel_size: [4, 4], strides: [3, 3], use_bias: false }, [10, 10, 3], 16 * 3],
    // Kernel smaller than the stride: Keras 3 would give (n − 1)·s + k = [11, 9]; tfjs n·s.
    [[4, 5, 2], { filters: 3, kernel_size: [2, 1], strides: [3, 2] }, [12, 10, 3], 2 * 1 * 2 * 3 + 3],
  ]));

  describe('DepthwiseConv2D', () => checkCases('DepthwiseConv2D', [
    [[8, 8, 3], {}, [6, 6, 3], 9 * 3 + 3],
    [[8, 8, 3], { depth_multiplier: 3 }, [6, 6, 9], 9 * 9 + 9],
    [[9, 9, 3], { strides: [2, 2], padding: 'same' }, [5, 5, 3], 9 * 3 + 3],
    [[9, 9, 3], { strides: [1, 2] }, [7, 4, 3], 9 * 3 + 3],
    [[6, 6, 1], { kernel_size: [5, 1], use_bias: false, depth_multiplier: 4 }, [2, 6, 4], 5 * 4],
    [[7, 5, 2], { strides: [3, 3], padding: 'same', depth_multiplier: 2 }, [3, 2, 4], 9 * 4 + 4],
  ]));

  describe('SeparableConv2D', () => checkCases('SeparableConv2D', [
    [[8, 8, 3], {}, [6, 6, 32], 9 * 3 + 3 * 32 + 32],
    [[9, 11, 3], { filters: 16, depth_multiplier: 2, strides: [2, 2], padding: 'same' }, [5, 6, 16], 9 * 3 * 2 + 3 * 2 * 16 + 16],
    [[5, 9, 2], { filters: 4, kernel_size: [1, 5], use_bias: false }, [5, 5, 4], 5 * 2 + 2 * 4],
    [[10, 10, 4], { filters: 8, strides: [3, 2] }, [3, 4, 8], 9 * 4 + 4 * 8 + 8],
  ]));

  const pooling1dCases: Case[] = [
    [[10, 3], {}, [5, 3], 0],
    [[11, 3], {}, [5, 3], 0],
    [[8, 2], { pool_size: 3, strides: 1 }, [6, 2], 0],
    [[11, 3], { pool_size: 2, strides: 3, padding: 'same' }, [4, 3], 0],
    [[7, 2], { pool_size: 4, padding: 'same' }, [2, 2], 0],
    [[7, 4], { pool_size: 7 }, [1, 4], 0],
  ];
  describe('MaxPooling1D', () => checkCases('MaxPooling1D', pooling1dCases));
  describe('AveragePooling1D', () => checkCases('AveragePooling1D', pooling1dCases));

  describe('GlobalAveragePooling1D', () => checkCases('GlobalAveragePooling1D', [[[10, 3], {}, [3], 0], [[1, 7], {}, [7], 0]]));
  describe('GlobalMaxPooling1D', () => checkCases('GlobalMaxPooling1D', [[[10, 3], {}, [3], 0], [[1, 7], {}, [7], 0]]));
  describe('GlobalMaxPooling2D', () => checkCases('GlobalMaxPooling2D', [[[5, 7, 3], {}, [3], 0], [[1, 1, 16], {}, [16], 0]]));

  describe('UpSampling2D', () => checkCases('UpSampling2D', [
    [[5, 6, 2], {}, [10, 12, 2], 0],
    [[4, 5, 3], { size: [3, 1], interpolation: 'bilinear' }, [12, 5, 3], 0],
    [[3, 3, 1], { size: [1, 1] }, [3, 3, 1], 0],
    [[1, 1, 4], { size: [2, 3], interpolation: 'nearest' }, [2, 3, 4], 0],
  ]));

  describe('ZeroPadding2D', () => checkCases('ZeroPadding2D', [
    [[5, 6, 2], {}, [7, 8, 2], 0],
    [[5, 6, 2], { padding: 2 }, [9, 10, 2], 0],
    [[5, 6, 2], { padding: [1, 3] }, [7, 12, 2], 0],
    [[5, 6, 2], { padding: [[0, 2], [3, 1]] }, [7, 10, 2], 0],
    [[5, 6, 2], { padding: 0 }, [5, 6, 2], 0],
  ]));

  describe('Cropping2D', () => checkCases('Cropping2D', [
    [[5, 6, 2], {}, [5, 6, 2], 0],
    [[5, 6, 2], { cropping: 1 }, [3, 4, 2], 0],
    [[5, 6, 2], { cropping: [1, 2] }, [3, 2, 2], 0],
    [[5, 6, 2], { cropping: [[2, 0], [0, 3]] }, [3, 3, 2], 0],
    [[5, 6, 2], { cropping: [[4, 0], [0, 5]] }, [1, 1, 2], 0],
  ]));

  it('a 1-D convolutional classifier: Conv1D, pooling and a Dense head', () => {
    holdAgainstTfjs([50, 4], [
      ['Conv1D', { filters: 16, kernel_size: 5, padding: 'same' }],
      ['MaxPooling1D', { pool_size: 2 }],
      ['Conv1D', { filters: 32, kernel_size: 3, dilation_rate: 2 }],
      ['AveragePooling1D', { pool_size: 3, strides: 2, padding: 'same' }],
      ['Conv1D', { filters: 8, kernel_size: 3, strides: 2 }],
      ['GlobalMaxPooling1D'],
      ['Dense', { units: 3, activation: 'softmax' }],
    ]);
    holdAgainstTfjs([9, 2], [['Conv1D', { filters: 4, kernel_size: 2 }], ['GlobalAveragePooling1D'], ['Dense', { units: 1 }]]);
  });

  it('an encoder–decoder on an odd-sized image: pad, separable and depthwise down, transpose and upsample back, crop', () => {
    holdAgainstTfjs([13, 11, 3], [
      ['ZeroPadding2D', { padding: [[1, 2], [0, 1]] }],
      ['SeparableConv2D', { filters: 8, strides: [2, 2], padding: 'same', depth_multiplier: 2 }],
      ['DepthwiseConv2D', { kernel_size: [3, 3], padding: 'same', depth_multiplier: 2 }],
      ['Conv2DTranspose', { filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }],
      ['UpSampling2D', { size: [2, 2], interpolation: 'bilinear' }],
      ['Cropping2D', { cropping: [[2, 1], [3, 0]] }],
      ['GlobalMaxPooling2D'],
      ['Dense', { units: 2 }],
    ]);
  });
});

/** Output shape and weights, or the error and fix, for a kind on given inputs (no tfjs). */
function infer(className: string, input: Shape, config: Record<string, unknown> = {}) {
  const kind = getLayerKind(className)!;
  const params = kind.params.parse(config);
  try {
    return { shape: kind.inferShape([input], params), params: kind.countParams([input], params) };
  } catch (err) {
    if (!(err instanceof LayerShapeError)) throw err;
    return { error: err.message, fix: err.fix as LayerFix | undefined };
  }
}

describe('what the spatial kinds refuse, in words', () => {
  it('1-D kinds need a sequence (steps, features), 2-D kinds an image (height, width, channels)', () => {
    expect(infer('Conv1D', [28, 28, 1]).error)
      .toBe('Conv1D needs a sequence input (steps, features) but gets (28, 28, 1) — reshape it to (steps, features) first');
    expect(infer('MaxPooling1D', [784]).error).toBe(
      'MaxPooling1D needs a sequence input (steps, features) but gets (784) — insert a RepeatVector or a Reshape to (steps, features) before it, or an Embedding for word ids',
    );
    expect(infer('GlobalAveragePooling1D', [5, 5, 3]).error).toMatch(/^GlobalAveragePooling1D needs a sequence input \(steps, features\) but gets \(5, 5, 3\)/);
    expect(infer('GlobalMaxPooling1D', [10]).error).toMatch(/^GlobalMaxPooling1D needs a sequence input/);
    expect(infer('SeparableConv2D', [10, 3])).toEqual({
      error: 'SeparableConv2D needs an image-shaped input (height, width, channels) but gets (10, 3) — insert a Reshape',
      fix: { label: 'Insert a Reshape to (10, 3, 1)', insertBefore: { class_name: 'Reshape', config: { target_shape: [10, 3, 1] } } },
    });
    for (const className of ['Conv2DTranspose', 'DepthwiseConv2D', 'GlobalMaxPooling2D', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D']) {
      expect(infer(className, [784]), className).toEqual({
        error: `${className} needs an image-shaped input (height, width, channels) but gets (784) — insert a Reshape`,
        fix: { label: 'Insert a Reshape to (28, 28, 1)', insertBefore: { class_name: 'Reshape', config: { target_shape: [28, 28, 1] } } },
      });
    }
  });

  it('a window larger than its input with padding valid (tfjs would make an empty output)', () => {
    expect(infer('Conv1D', [7, 2], { kernel_size: 8 }).error)
      .toBe("Conv1D's window of 8 steps is larger than its input of 7 steps — use padding 'same' or a smaller window");
    // A dilated kernel of 4 spans (4 − 1)·3 + 1 = 10 steps.
    expect(infer('Conv1D', [9, 2], { kernel_size: 4, dilation_rate: 3 }).error)
      .toBe("Conv1D's window of 10 steps is larger than its input of 9 steps — use padding 'same' or a smaller window");
    expect(infer('Conv1D', [9, 2], { kernel_size: 4, dilation_rate: 3, padding: 'same' }).shape).toEqual([9, 32]);
    expect(infer('AveragePooling1D', [7, 2], { pool_size: 8 }).error)
      .toBe("AveragePooling1D's window of 8 steps is larger than its input of 7 steps — use padding 'same' or a smaller window");
    expect(infer('DepthwiseConv2D', [4, 4, 3], { kernel_size: [5, 5] }).error)
      .toBe("DepthwiseConv2D's 5×5 kernel is larger than its 4×4 input — use padding 'same', a smaller kernel, or less downsampling before it");
    expect(infer('SeparableConv2D', [6, 2, 3], { kernel_size: [3, 3] }).error)
      .toBe("SeparableConv2D's 3×3 kernel is larger than its 6×2 input — use padding 'same', a smaller kernel, or less downsampling before it");
  });

  it('Conv1D with both strides and dilation above 1 (tfjs refuses it too)', () => {
    expect(infer('Conv1D', [20, 3], { strides: 2, dilation_rate: 2 }).error)
      .toBe('Conv1D cannot combine strides above 1 with dilation_rate above 1 — set one of them to 1');
  });

  it('Cropping2D that crops everything away, naming the sides that vanish', () => {
    expect(infer('Cropping2D', [5, 6, 2], { cropping: [[3, 2], [0, 0]] }).error)
      .toBe('Cropping2D crops 5 of its 5 rows away, leaving nothing of the 5×6 image — crop less');
    expect(infer('Cropping2D', [5, 6, 2], { cropping: [1, 3] }).error)
      .toBe('Cropping2D crops 6 of its 6 columns away, leaving nothing of the 5×6 image — crop less');
    expect(infer('Cropping2D', [5, 6, 2], { cropping: 3 }).error)
      .toBe('Cropping2D crops 6 of its 5 rows and 6 of its 6 columns away, leaving nothing of the 5×6 image — crop less');
  });

  it('a graph with such a layer is refused before tfjs sees it (tfjs 4.22 would keep rows it should crop)', () => {
    // Cropping one row more than there are becomes slice()'s "to the end" in tfjs.
    const spec = chain('over_cropped', [5, 6, 2], [['Cropping2D', { cropping: [[3, 3], [0, 0]] }], ['Flatten'], ['Dense', { units: 1 }]]);
    const analysis = analyzeGraph(spec);
    expect(analysis.issues.map((i) => [i.code, i.message])).toEqual([
      ['SHAPE', 'Cropping2D crops 6 of its 5 rows away, leaving nothing of the 5×6 image — crop less'],
    ]);
    expect(() => buildModel(tf, spec)).toThrow(ModelCompileError);
  });
});

describe('parameters of the spatial kinds', () => {
  const parse = (className: string, config: Record<string, unknown>) => getLayerKind(className)!.params.parse(config);
  const messages = (className: string, config: Record<string, unknown>) => {
    const result = getLayerKind(className)!.params.safeParse(config);
    return result.success ? [] : result.error.issues.map((i) => i.message);
  };

  it('every field has a default, named as Keras names it', () => {
    expect(parse('Conv1D', {})).toEqual({ filters: 32, kernel_size: 3, strides: 1, padding: 'valid', dilation_rate: 1, activation: 'relu', use_bias: true });
    expect(parse('Conv2DTranspose', {})).toEqual({ filters: 32, kernel_size: [3, 3], strides: [2, 2], padding: 'valid', activation: 'relu', use_bias: true });
    expect(parse('DepthwiseConv2D', {})).toEqual({ kernel_size: [3, 3], strides: [1, 1], padding: 'valid', depth_multiplier: 1, activation: 'relu', use_bias: true });
    expect(parse('SeparableConv2D', {})).toEqual({
      filters: 32, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', depth_multiplier: 1, activation: 'relu', use_bias: true,
    });
    expect(parse('MaxPooling1D', {})).toEqual({ pool_size: 2, strides: null, padding: 'valid' });
    expect(parse('AveragePooling1D', {})).toEqual({ pool_size: 2, strides: null, padding: 'valid' });
    for (const className of ['GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D']) expect(parse(className, {})).toEqual({});
    expect(parse('UpSampling2D', {})).toEqual({ size: [2, 2], interpolation: 'nearest' });
    expect(parse('ZeroPadding2D', {})).toEqual({ padding: [[1, 1], [1, 1]] });
    expect(parse('Cropping2D', {})).toEqual({ cropping: [[0, 0], [0, 0]] });
  });

  it('reads padding and cropping in all three Keras forms as [[top, bottom], [left, right]]', () => {
    expect(parse('ZeroPadding2D', { padding: 2 })).toEqual({ padding: [[2, 2], [2, 2]] });
    expect(parse('ZeroPadding2D', { padding: [1, 3] })).toEqual({ padding: [[1, 1], [3, 3]] });
    expect(parse('ZeroPadding2D', { padding: [[0, 2], [3, 1]] })).toEqual({ padding: [[0, 2], [3, 1]] });
    expect(parse('Cropping2D', { cropping: 1 })).toEqual({ cropping: [[1, 1], [1, 1]] });
    expect(parse('Cropping2D', { cropping: [0, 4] })).toEqual({ cropping: [[0, 0], [4, 4]] });
  });

  it('explains bad values in words, naming the field', () => {
    expect(messages('Conv1D', { kernel_size: 0 })).toEqual(['kernel_size must be at least 1']);
    expect(messages('Conv1D', { dilation_rate: 1.5 })).toEqual(['dilation_rate must be a whole number']);
    expect(messages('DepthwiseConv2D', { depth_multiplier: 0 })).toEqual(['depth_multiplier must be at least 1']);
    expect(messages('Conv2DTranspose', { strides: [2] })).toEqual(['strides must be two numbers [height, width], e.g. [2, 2]']);
    expect(messages('MaxPooling1D', { strides: 0 })).toEqual(['strides must be at least 1']);
    expect(messages('UpSampling2D', { interpolation: 'bicubic' })).toEqual(["interpolation must be 'nearest' or 'bilinear'"]);
    expect(messages('UpSampling2D', { size: [0, 2] })).toEqual(['size must be at least 1 in each direction']);
    for (const padding of [[1, 2, 3], [[1, 1], [1]], 'same']) {
      expect(messages('ZeroPadding2D', { padding }), JSON.stringify(padding))
        .toEqual(['padding must be a number, [height, width] or [[top, bottom], [left, right]], e.g. [[1, 1], [1, 1]]']);
    }
    expect(messages('ZeroPadding2D', { padding: -1 })).toEqual(['padding must be at least 0 at each edge']);
    expect(messages('ZeroPadding2D', { padding: 1.5 })).toEqual(['padding must be whole numbers, e.g. [[1, 1], [1, 1]]']);
    expect(messages('Cropping2D', { cropping: [[0, -1], [0, 0]] })).toEqual(['cropping must be at least 0 at each edge']);
  });

  it('sit in the palette categories a beginner would look in', () => {
    const categoryOf = (className: string) => getLayerKind(className)!.category;
    expect(['Conv1D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D'].map(categoryOf)).toEqual(Array(4).fill('Convolution'));
    expect(['MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D'].map(categoryOf))
      .toEqual(Array(5).fill('Pooling'));
    expect(['UpSampling2D', 'ZeroPadding2D', 'Cropping2D'].map(categoryOf)).toEqual(Array(3).fill('Reshape'));
  });
});

describe('FLOPs of the spatial kinds (multiply-add = 2)', () => {
  /** FLOPs the analysis gives the layer after the Input. */
  function flops(input: readonly number[], className: string, config: Record<string, unknown> = {}): number {
    const spec = chain('flops_probe', input, [[className, config]]);
    const analysis = analyzeGraph(spec);
    expect(analysis.issues).toEqual([]);
    return analysis.nodes[spec.config.layers[1]!.name]!.flops!;
  }

  it('counts the work each kind does per output value', () => {
    // Conv1D: 2·k·cin per output value, + bias + activation: 16 × 8 outputs.
    expect(flops([20, 3], 'Conv1D', { filters: 8, kernel_size: 5 })).toBe(2 * 5 * 3 * 16 * 8 + 16 * 8 + 16 * 8);
    // Transposed: each of the 4×4 input positions scatters a 3×3×2×3 kernel.
    expect(flops([4, 4, 2], 'Conv2DTranspose', { filters: 3, activation: 'linear', use_bias: false })).toBe(2 * 9 * 2 * 3 * 16);
    // Depthwise: 2·kh·kw per output value (6×6×3).
    expect(flops([8, 8, 3], 'DepthwiseConv2D', { activation: 'linear', use_bias: false })).toBe(2 * 9 * 108);
    // Separable: the depthwise step on 6×6×(3·2) values, then 1×1 from 6 to 4 channels.
    expect(flops([8, 8, 3], 'SeparableConv2D', { filters: 4, depth_multiplier: 2, activation: 'linear', use_bias: false }))
      .toBe(2 * 9 * 36 * 6 + 2 * 6 * 4 * 36);
    // Pooling: one comparison or addition per value in each window; global: per input value.
    expect(flops([10, 3], 'MaxPooling1D')).toBe(2 * 5 * 3);
    expect(flops([10, 3], 'AveragePooling1D', { pool_size: 3, strides: 1 })).toBe(3 * 8 * 3);
    expect(flops([10, 3], 'GlobalAveragePooling1D')).toBe(30);
    expect(flops([10, 3], 'GlobalMaxPooling1D')).toBe(30);
    expect(flops([5, 7, 3], 'GlobalMaxPooling2D')).toBe(105);
    // Moving values costs nothing; bilinear weighs four neighbours per output value.
    expect(flops([5, 6, 2], 'UpSampling2D')).toBe(0);
    expect(flops([5, 6, 2], 'UpSampling2D', { interpolation: 'bilinear' })).toBe(4 * 10 * 12 * 2);
    expect(flops([5, 6, 2], 'ZeroPadding2D')).toBe(0);
    expect(flops([5, 6, 2], 'Cropping2D', { cropping: 1 })).toBe(0);
  });

  it('scales as the work does', () => {
    // Doubling filters doubles a convolution (bias and activation are per output value too).
    expect(flops([20, 3], 'Conv1D', { filters: 16 })).toBe(2 * flops([20, 3], 'Conv1D', { filters: 8 }));
    expect(flops([6, 6, 4], 'Conv2DTranspose', { filters: 16 })).toBe(2 * flops([6, 6, 4], 'Conv2DTranspose', { filters: 8 }));
    // A longer kernel costs proportionally more per output ('same' keeps the output size).
    expect(flops([20, 3], 'Conv1D', { kernel_size: 6, padding: 'same', activation: 'linear', use_bias: false }))
      .toBe(2 * flops([20, 3], 'Conv1D', { kernel_size: 3, padding: 'same', activation: 'linear', use_bias: false }));
    // A depth multiplier of 2 makes twice the depthwise outputs.
    expect(flops([8, 8, 3], 'DepthwiseConv2D', { depth_multiplier: 2 })).toBe(2 * flops([8, 8, 3], 'DepthwiseConv2D'));
    // Separable: doubling filters doubles only the pointwise half, so less than 2×.
    const separable = flops([8, 8, 16], 'SeparableConv2D', { filters: 16 });
    const doubled = flops([8, 8, 16], 'SeparableConv2D', { filters: 32 });
    expect(doubled / separable).toBeGreaterThan(1.5);
    expect(doubled / separable).toBeLessThan(2);
    // …and it is far cheaper than the Conv2D it stands in for.
    expect(separable).toBeLessThan(flops([8, 8, 16], 'Conv2D', { filters: 16 }) / 4);
    // Strides 2 halves the outputs, and so the work.
    expect(flops([20, 3], 'Conv1D', { strides: 2, padding: 'same' })).toBe(flops([20, 3], 'Conv1D', { padding: 'same' }) / 2);
    // Global pooling reads each input value once.
    expect(flops([40, 3], 'GlobalMaxPooling1D')).toBe(2 * flops([20, 3], 'GlobalMaxPooling1D'));
  });

  it('is positive for every kind that computes', () => {
    const computing: Array<[number[], string]> = [
      [[20, 3], 'Conv1D'], [[7, 7, 4], 'Conv2DTranspose'], [[8, 8, 3], 'DepthwiseConv2D'], [[8, 8, 3], 'SeparableConv2D'],
      [[10, 3], 'MaxPooling1D'], [[10, 3], 'AveragePooling1D'], [[10, 3], 'GlobalAveragePooling1D'], [[10, 3], 'GlobalMaxPooling1D'],
      [[5, 7, 3], 'GlobalMaxPooling2D'],
    ];
    for (const [input, className] of computing) expect(flops(input, className), className).toBeGreaterThan(0);
  });
});
