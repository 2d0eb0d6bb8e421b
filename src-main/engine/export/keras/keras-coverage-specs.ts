import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { chain } from '../../../../src-shared/spec/templates.ts';

/**
 * Hand-wired models that, with the templates and the random stacks, put every catalog
 * kind (and the configs where tfjs and Keras could part ways: GRU's reset gate, a
 * transposed convolution whose kernel is smaller than its stride, bilinear upsampling,
 * masks, frozen layers) through the Keras export's parity test.
 */

type Wire = readonly [name: string, className: string, config: Record<string, unknown>, inbound: string[], trainable?: boolean];

function graph(name: string, layers: readonly Wire[]): ModelSpec {
  return {
    schemaVersion: MODEL_SPEC_VERSION,
    class_name: 'Model',
    config: {
      name,
      layers: layers.map(([layerName, className, config, inbound, trainable]) => ({
        name: layerName, class_name: className, config, inbound, ...(trainable === false && { trainable: false }),
      })),
    },
    layout: {},
  };
}

/** A coverage model and, for a text model, the vocabulary its inputs are drawn from. */
export interface CoverageModel {
  spec: ModelSpec;
  /** Inputs are whole-number word ids below this; otherwise uniform in [0, 1). */
  idsBelow?: number;
}

export const KERAS_COVERAGE_MODELS: readonly CoverageModel[] = [
  {
    idsBelow: 30,
    spec: chain('cover_recurrent', [12], [
      ['Embedding', { input_dim: 30, output_dim: 6 }],
      ['Conv1D', { filters: 5, kernel_size: 3, padding: 'same', dilation_rate: 2, activation: 'relu' }],
      ['MaxPooling1D', { pool_size: 2, strides: 1, padding: 'same' }],
      ['Bidirectional', { layer: { class_name: 'GRU', config: { units: 4, return_sequences: true } }, merge_mode: 'concat' }],
      ['LayerNormalization', { epsilon: 0.01 }],
      ['SpatialDropout1D', { rate: 0.3 }],
      ['SimpleRNN', { units: 5, return_sequences: true, activation: 'relu' }],
      ['AveragePooling1D', { pool_size: 2 }],
      ['Bidirectional', { layer: { class_name: 'LSTM', config: { units: 3 } }, merge_mode: 'sum' }],
      ['Dense', { units: 3, activation: 'softmax' }],
    ]),
  },
  {
    idsBelow: 20,
    // Word id 0 is padding: Keras and tfjs both skip masked steps in the LSTM.
    spec: chain('cover_masked_text', [10], [
      ['Embedding', { input_dim: 20, output_dim: 4, mask_zero: true }],
      ['LSTM', { units: 5, return_sequences: true }],
      ['GRU', { units: 3, recurrent_activation: 'tanh' }],
      ['Dense', { units: 2, activation: 'softmax' }],
    ]),
  },
  {
    spec: graph('cover_sequence_merges', [
      ['x', 'Input', { shape: [6] }, []],
      ['d', 'Dense', { units: 8, activation: 'tanh' }, ['x']],
      ['rep', 'RepeatVector', { n: 4 }, ['d']],
      ['perm', 'Permute', { dims: [2, 1] }, ['rep']],
      ['conv', 'Conv1D', { filters: 4, kernel_size: 1, activation: 'sigmoid' }, ['perm']],
      ['act', 'Activation', { activation: 'elu' }, ['perm']],
      ['mul', 'Multiply', {}, ['conv', 'act']],
      ['avg', 'Average', {}, ['conv', 'act', 'perm']],
      ['max', 'Maximum', {}, ['mul', 'avg']],
      ['gru', 'GRU', { units: 3, return_sequences: true, use_bias: true }, ['max']],
      ['gmax', 'GlobalMaxPooling1D', {}, ['gru']],
      ['gavg', 'GlobalAveragePooling1D', {}, ['max']],
      ['cat', 'Concatenate', { axis: -1 }, ['gmax', 'gavg']],
      ['out', 'Dense', { units: 4, activation: 'softmax' }, ['cat']],
    ]),
  },
  {
    spec: chain('cover_spatial', [8, 8, 3], [
      ['Rescaling', { scale: 2, offset: -1 }],
      ['DepthwiseConv2D', { kernel_size: [3, 3], padding: 'same', depth_multiplier: 2, activation: 'relu' }],
      ['SeparableConv2D', { filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'valid', activation: 'tanh' }],
      // A kernel smaller than the stride: the rows between kernels get only the bias.
      ['Conv2DTranspose', { filters: 3, kernel_size: [2, 2], strides: [3, 3], padding: 'valid', activation: 'linear' }],
      ['Conv2DTranspose', { filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' }],
      ['UpSampling2D', { size: [2, 1], interpolation: 'nearest' }],
      ['ZeroPadding2D', { padding: [[1, 0], [2, 1]] }],
      ['Cropping2D', { cropping: [[0, 1], [1, 1]] }],
      ['SpatialDropout2D', { rate: 0.2 }],
      ['LeakyReLU', { alpha: 0.1 }],
      ['BatchNormalization', { axis: -1 }],
      ['GlobalMaxPooling2D'],
      ['Dense', { units: 4, activation: 'gelu' }],
      ['Dense', { units: 3, activation: 'softmax' }],
    ]),
  },
  {
    spec: chain('cover_bilinear', [5, 6, 2], [
      ['UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }],
      ['Conv2D', { filters: 2, kernel_size: [3, 3], activation: 'selu' }],
      ['Flatten'],
      ['Dense', { units: 3, activation: 'softplus' }],
    ]),
  },
  {
    spec: graph('cover_frozen', [
      ['x', 'Input', { shape: [10] }, []],
      ['d1', 'Dense', { units: 12, activation: 'swish' }, ['x'], false],
      ['bn', 'BatchNormalization', { momentum: 0.9 }, ['d1'], false],
      ['d2', 'Dense', { units: 5, activation: 'sigmoid' }, ['bn']],
    ]),
  },
];
