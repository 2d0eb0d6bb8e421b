import { describe, expect, it } from 'vitest';
import type { Shape } from '../spec/model-spec.ts';
import { CATEGORY_ORDER, getLayerKind, kindsByCategory, LAYER_CATALOG } from './layer-catalog.ts';
import { LayerShapeError, type LayerFix } from './layer-kind.ts';

function kind(className: string) {
  const found = getLayerKind(className);
  if (!found) throw new Error(`no kind ${className}`);
  return found;
}

/** Output shape and params, or the error message and fix, for a kind on given inputs. */
function infer(className: string, inputs: Shape[], config: Record<string, unknown> = {}) {
  const k = kind(className);
  const params = k.params.parse(config);
  try {
    return { shape: k.inferShape(inputs, params), params: k.countParams(inputs, params) };
  } catch (err) {
    if (!(err instanceof LayerShapeError)) throw err;
    return { error: err.message, fix: err.fix as LayerFix | undefined };
  }
}

describe('layer catalog', () => {
  it('holds the Keras kinds Strata offers, each usable with all defaults', () => {
    expect([...LAYER_CATALOG.keys()].sort()).toEqual([
      'Activation', 'Add', 'Average', 'AveragePooling1D', 'AveragePooling2D', 'BatchNormalization', 'Bidirectional', 'Concatenate',
      'Conv1D', 'Conv2D', 'Conv2DTranspose', 'Cropping2D', 'Dense', 'DepthwiseConv2D', 'Dropout', 'Embedding', 'Flatten', 'GRU',
      'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'Input', 'LSTM',
      'LayerNormalization', 'LeakyReLU', 'MaxPooling1D', 'MaxPooling2D', 'Maximum', 'Multiply', 'Permute', 'RepeatVector',
      'Rescaling', 'Reshape', 'SeparableConv2D', 'SimpleRNN', 'SpatialDropout1D', 'SpatialDropout2D', 'UpSampling2D', 'ZeroPadding2D',
    ]);
    for (const k of LAYER_CATALOG.values()) {
      expect(() => k.params.parse({}), k.className).not.toThrow();
      expect(k.help, k.className).toMatch(/^[^\n]{10,140}$/);
      expect(CATEGORY_ORDER, k.className).toContain(k.category);
      expect(k.inputs.min, k.className).toBeLessThanOrEqual(k.inputs.max);
    }
  });

  it('lists palette sections in category order without empty ones', () => {
    expect(kindsByCategory().map((s) => [s.category, s.kinds.map((k) => k.className)])).toEqual([
      ['Input', ['Input', 'Rescaling']],
      ['Core', ['Dense', 'Embedding']],
      ['Convolution', ['Conv2D', 'Conv1D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D']],
      ['Pooling', ['MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D']],
      ['Recurrent', ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional']],
      ['Normalization', ['BatchNormalization', 'LayerNormalization']],
      ['Regularization', ['Dropout', 'SpatialDropout1D', 'SpatialDropout2D']],
      ['Reshape', ['Flatten', 'Reshape', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D', 'RepeatVector', 'Permute']],
      ['Merge', ['Add', 'Concatenate', 'Multiply', 'Average', 'Maximum']],
      ['Activation', ['Activation', 'LeakyReLU']],
    ]);
  });

  it('fills Keras-style defaults', () => {
    expect(kind('Conv2D').params.parse({ filters: 8 })).toEqual({
      filters: 8, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', use_bias: true,
    });
    expect(kind('MaxPooling2D').params.parse({})).toEqual({ pool_size: [2, 2], strides: null, padding: 'valid' });
    expect(kind('BatchNormalization').params.parse({})).toEqual({ momentum: 0.99, epsilon: 0.001, axis: -1 });
  });

  it('explains bad parameters in words, naming the field', () => {
    const messages = (className: string, config: Record<string, unknown>) => {
      const result = kind(className).params.safeParse(config);
      return result.success ? [] : result.error.issues.map((i) => i.message);
    };
    expect(messages('Dense', { units: 0 })).toEqual(['units must be at least 1']);
    expect(messages('Dense', { units: 2.5 })).toEqual(['units must be a whole number']);
    expect(messages('Dense', { activation: 'banana' })).toEqual([
      'activation must be one of: linear, relu, sigmoid, tanh, softmax, elu, selu, softplus, swish, gelu',
    ]);
    expect(messages('Dropout', { rate: 1 })).toEqual(['rate must be below 1 (1 would drop every value)']);
    expect(messages('Conv2D', { kernel_size: [3] })).toEqual(['kernel_size must be two numbers [height, width], e.g. [3, 3]']);
    expect(messages('Conv2D', { kernel_size: [0, 3] })).toEqual(['kernel_size must be at least 1 in each direction']);
    expect(messages('Reshape', { target_shape: [-1, -1] })).toEqual(['target_shape can have at most one -1']);
    expect(messages('Concatenate', { axis: 0 })).toEqual(['axis 0 is the batch; use -1 for the last axis (the channels of an image)']);
    expect(messages('Input', { shape: [] })).toEqual(['shape needs at least one size, e.g. [28, 28, 1] for a grey image or [10] for 10 numbers']);
  });
});

describe('shape inference and parameter counts', () => {
  it('matches Keras arithmetic for the weighted layers', () => {
    expect(infer('Dense', [[784]], { units: 128 })).toEqual({ shape: [128], params: { trainable: 100_480, nonTrainable: 0 } });
    expect(infer('Dense', [[10]], { units: 3, use_bias: false })).toEqual({ shape: [3], params: { trainable: 30, nonTrainable: 0 } });
    expect(infer('Conv2D', [[28, 28, 1]], { filters: 6, kernel_size: [5, 5], padding: 'same' }))
      .toEqual({ shape: [28, 28, 6], params: { trainable: 156, nonTrainable: 0 } });
    expect(infer('Conv2D', [[14, 14, 6]], { filters: 16, kernel_size: [5, 5], strides: [2, 2] }))
      .toEqual({ shape: [5, 5, 16], params: { trainable: 2416, nonTrainable: 0 } });
    expect(infer('BatchNormalization', [[7, 7, 32]])).toEqual({ shape: [7, 7, 32], params: { trainable: 64, nonTrainable: 64 } });
    expect(infer('BatchNormalization', [[7, 5, 32]], { axis: 2 })).toEqual({ shape: [7, 5, 32], params: { trainable: 10, nonTrainable: 10 } });
  });

  it('infers the shape-only layers', () => {
    const shapes = (className: string, inputs: Shape[], config?: Record<string, unknown>) => infer(className, inputs, config).shape;
    expect(shapes('MaxPooling2D', [[28, 28, 6]])).toEqual([14, 14, 6]);
    expect(shapes('AveragePooling2D', [[7, 7, 3]], { pool_size: [3, 3], strides: [2, 2], padding: 'same' })).toEqual([4, 4, 3]);
    expect(shapes('GlobalAveragePooling2D', [[7, 7, 3]])).toEqual([3]);
    expect(shapes('Flatten', [[5, 5, 16]])).toEqual([400]);
    expect(shapes('Reshape', [[784]], { target_shape: [28, -1, 1] })).toEqual([28, 28, 1]);
    expect(shapes('Add', [[4, 4, 2], [4, 4, 2], [4, 4, 2]])).toEqual([4, 4, 2]);
    expect(shapes('Concatenate', [[4, 4, 2], [4, 4, 5]])).toEqual([4, 4, 7]);
    expect(shapes('Concatenate', [[4, 4, 2], [3, 4, 2]], { axis: 1 })).toEqual([7, 4, 2]);
    expect(shapes('Dropout', [[3, 2]])).toEqual([3, 2]);
  });

  it('says what is wrong in the user\'s terms and offers a one-click fix where one is obvious', () => {
    expect(infer('Dense', [[28, 28, 1]])).toEqual({
      error: 'Dense needs a flat list of features but gets (28, 28, 1) — insert a Flatten',
      fix: { label: 'Insert Flatten', insertBefore: { class_name: 'Flatten' } },
    });
    expect(infer('Conv2D', [[784]])).toEqual({
      error: 'Conv2D needs an image-shaped input (height, width, channels) but gets (784) — insert a Reshape',
      fix: { label: 'Insert a Reshape to (28, 28, 1)', insertBefore: { class_name: 'Reshape', config: { target_shape: [28, 28, 1] } } },
    });
    expect(infer('MaxPooling2D', [[3072]]).fix?.insertBefore?.config).toEqual({ target_shape: [32, 32, 3] });
    expect(infer('Conv2D', [[1000]])).toEqual({
      error: 'Conv2D needs an image-shaped input (height, width, channels) but gets (1000) — insert a Reshape',
      fix: undefined,
    });
    expect(infer('Conv2D', [[4, 4, 1]], { kernel_size: [5, 5] }).error)
      .toBe("Conv2D's 5×5 kernel is larger than its 4×4 input — use padding 'same', a smaller kernel, or less downsampling before it");
    expect(infer('Flatten', [[10]]).error).toBe("Flatten's input (10) is already flat — delete this Flatten");
    expect(infer('Reshape', [[784]], { target_shape: [28, 27, 1] }).error)
      .toBe("Reshape can't turn (784) (784 values) into (28, 27, 1) (756 values) — the counts must match");
    expect(infer('Add', [[4, 4, 2], [4, 4, 3]]).error).toBe('Add needs inputs of the same shape but gets (4, 4, 2) and (4, 4, 3)');
    expect(infer('Concatenate', [[4, 4, 2], [3, 4, 2]]).error)
      .toBe('Concatenate joins along axis -1, so every other size must match, but gets (4, 4, 2) and (3, 4, 2)');
    expect(infer('BatchNormalization', [[10]], { axis: 2 }).error)
      .toBe("BatchNormalization's axis 2 does not exist on an input of shape (10) — use -1 for the last axis");
  });
});
