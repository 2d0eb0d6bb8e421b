import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { chain } from '../../../../src-shared/spec/templates.ts';

/**
 * Small models that between them use every catalog kind in the configurations the ONNX
 * mapping distinguishes (padding, strides, dilation, kernels smaller than strides, axes,
 * every activation, each recurrent kind on ONNX's op and written out, masks, merge modes).
 * The templates and random graphs cover the common kinds; these cover the rest.
 */

/** A hand-wired graph: [name, class_name, config, inbound]. */
function graph(name: string, layers: ReadonlyArray<readonly [string, string, Record<string, unknown>, string[]]>): ModelSpec {
  return {
    schemaVersion: MODEL_SPEC_VERSION,
    class_name: 'Model',
    config: { name, layers: layers.map(([layerName, className, config, inbound]) => ({ name: layerName, class_name: className, config, inbound })) },
    layout: {},
  };
}

// A linear head: a softmax would squash the differences a wrong mapping makes.
const head = (units = 3) => ['Dense', { units, activation: 'linear' }] as const;
const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'swish', 'gelu'] as const;

/** One recurrent layer (or Bidirectional) over a (6, 4) sequence, then a head. */
function recurrent(name: string, className: string, config: Record<string, unknown>, sequences: boolean): ModelSpec {
  return chain(name, [6, 4], [[className, config], ...(sequences ? [['Flatten'] as const] : []), head()]);
}

export const ONNX_COVERAGE_SPECS: readonly ModelSpec[] = [
  chain('conv1d_variants', [20, 3], [
    ['Conv1D', { filters: 4, kernel_size: 3, padding: 'same', dilation_rate: 2, activation: 'gelu' }],
    ['Conv1D', { filters: 5, kernel_size: 4, strides: 2, padding: 'valid', activation: 'selu', use_bias: false }],
    ['MaxPooling1D', { pool_size: 3, strides: 2, padding: 'same' }],
    ['AveragePooling1D', { pool_size: 2, padding: 'same' }],
    ['GlobalMaxPooling1D'], head(),
  ]),
  chain('conv1d_same_strided', [15, 2], [
    ['Conv1D', { filters: 3, kernel_size: 4, strides: 2, padding: 'same', activation: 'swish' }],
    ['AveragePooling1D', { pool_size: 2, strides: 1, padding: 'valid' }],
    ['GlobalAveragePooling1D'], head(),
  ]),
  chain('depthwise_separable_transpose', [9, 11, 3], [
    ['DepthwiseConv2D', { kernel_size: [3, 2], strides: [2, 1], padding: 'same', depth_multiplier: 2, activation: 'elu' }],
    ['SeparableConv2D', { filters: 5, kernel_size: [2, 3], strides: [1, 2], padding: 'valid', depth_multiplier: 3, activation: 'softplus' }],
    ['Conv2DTranspose', { filters: 3, kernel_size: [3, 1], strides: [2, 3], padding: 'valid', activation: 'swish' }],
    ['Conv2DTranspose', { filters: 2, kernel_size: [4, 4], strides: [2, 2], padding: 'same', activation: 'linear', use_bias: false }],
    ['Conv2DTranspose', { filters: 2, kernel_size: [1, 3], strides: [2, 2], padding: 'same', activation: 'tanh' }],
    ['Flatten'], head(),
  ]),
  chain('depthwise_valid_separable_same', [8, 7, 2], [
    ['DepthwiseConv2D', { kernel_size: [2, 2], strides: [1, 1], padding: 'valid', depth_multiplier: 1, activation: 'relu', use_bias: false }],
    ['SeparableConv2D', { filters: 4, kernel_size: [3, 3], strides: [2, 2], padding: 'same', depth_multiplier: 1, activation: 'sigmoid', use_bias: false }],
    ['GlobalMaxPooling2D'], head(),
  ]),
  chain('pad_upsample_crop', [5, 6, 2], [
    ['ZeroPadding2D', { padding: [[1, 2], [0, 3]] }],
    ['UpSampling2D', { size: [2, 3], interpolation: 'nearest' }],
    ['Cropping2D', { cropping: [[1, 0], [2, 3]] }],
    ['UpSampling2D', { size: [2, 2], interpolation: 'bilinear' }],
    ['SpatialDropout2D', { rate: 0.3 }],
    ['Conv2D', { filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'softmax' }],
    ['MaxPooling2D', { pool_size: [3, 3], strides: [2, 2], padding: 'same' }],
    ['Flatten'], head(),
  ]),
  chain('rescale_repeat_norm_permute', [12], [
    ['Rescaling', { scale: 0.5, offset: -0.2 }],
    ['Dense', { units: 8, activation: 'sigmoid' }],
    ['LeakyReLU', { alpha: 0.1 }],
    ['RepeatVector', { n: 5 }],
    ['LayerNormalization', { axis: -1, epsilon: 0.001 }],
    ['LayerNormalization', { axis: 1, epsilon: 0.01 }],
    ['Permute', { dims: [2, 1] }],
    ['SpatialDropout1D', { rate: 0.2 }],
    ['BatchNormalization', { axis: 1 }],
    ['Flatten'], head(),
  ]),
  graph('every_merge', [
    ['in', 'Input', { shape: [10] }, []],
    ['a', 'Dense', { units: 6, activation: 'tanh' }, ['in']],
    ['b', 'Dense', { units: 6, activation: 'relu' }, ['in']],
    ['c', 'Dense', { units: 6, activation: 'linear' }, ['in']],
    ['mul', 'Multiply', {}, ['a', 'b', 'c']],
    ['avg', 'Average', {}, ['a', 'b', 'c']],
    ['max', 'Maximum', {}, ['a', 'c']],
    ['sum', 'Add', {}, ['mul', 'avg', 'max']],
    ['cat', 'Concatenate', { axis: 1 }, ['sum', 'a']],
    ['out', 'Dense', { units: 4, activation: 'linear' }, ['cat']],
  ]),
  chain('every_activation', [7], ACTIVATIONS.flatMap((activation) => [['Dense', { units: 5, activation }], ['Activation', { activation }]] as const)),

  // Recurrent layers on ONNX's ops: each kind, several activations, with and without bias.
  recurrent('simple_rnn_tanh', 'SimpleRNN', { units: 5 }, false),
  recurrent('simple_rnn_relu_seq', 'SimpleRNN', { units: 4, activation: 'relu', return_sequences: true, use_bias: false }, true),
  recurrent('lstm_default', 'LSTM', { units: 5 }, false),
  recurrent('lstm_linear_elu_seq', 'LSTM', { units: 3, activation: 'linear', recurrent_activation: 'elu', return_sequences: true }, true),
  recurrent('lstm_softplus_tanh', 'LSTM', { units: 4, activation: 'softplus', recurrent_activation: 'tanh', use_bias: false }, false),
  recurrent('gru_default_seq', 'GRU', { units: 5, return_sequences: true }, true),
  recurrent('gru_relu_sigmoid', 'GRU', { units: 4, activation: 'relu' }, false),
  // … and written out step by step, for activations ONNX's recurrent ops lack.
  recurrent('simple_rnn_gelu_seq', 'SimpleRNN', { units: 4, activation: 'gelu', return_sequences: true }, true),
  recurrent('lstm_selu', 'LSTM', { units: 4, activation: 'selu' }, false),
  recurrent('lstm_softmax_swish_seq', 'LSTM', { units: 3, activation: 'softmax', recurrent_activation: 'swish', return_sequences: true, use_bias: false }, true),
  recurrent('gru_tanh_swish', 'GRU', { units: 5, recurrent_activation: 'swish' }, false),
  // Bidirectional: every inner kind and merge mode, on the op and written out.
  recurrent('bi_lstm_concat', 'Bidirectional', { layer: { class_name: 'LSTM', config: { units: 4 } }, merge_mode: 'concat' }, false),
  recurrent('bi_gru_sum_seq', 'Bidirectional', { layer: { class_name: 'GRU', config: { units: 3, return_sequences: true } }, merge_mode: 'sum' }, true),
  recurrent('bi_rnn_mul', 'Bidirectional', { layer: { class_name: 'SimpleRNN', config: { units: 4, use_bias: false } }, merge_mode: 'mul' }, false),
  recurrent('bi_lstm_ave_seq', 'Bidirectional', { layer: { class_name: 'LSTM', config: { units: 3, return_sequences: true } }, merge_mode: 'ave' }, true),
  recurrent('bi_gru_gelu_concat_seq', 'Bidirectional', { layer: { class_name: 'GRU', config: { units: 3, activation: 'gelu', return_sequences: true } }, merge_mode: 'concat' }, true),
  recurrent('bi_lstm_selu_ave', 'Bidirectional', { layer: { class_name: 'LSTM', config: { units: 3, activation: 'selu' } }, merge_mode: 'ave' }, false),

  // Text: word ids through an Embedding, plain and with mask_zero into recurrent layers.
  chain('embedding_bigru', [7], [
    ['Embedding', { input_dim: 20, output_dim: 6 }],
    ['Bidirectional', { layer: { class_name: 'GRU', config: { units: 4, return_sequences: true } } }],
    ['GlobalAveragePooling1D'], head(),
  ]),
  chain('embedding_mask_no_recurrent', [7], [['Embedding', { input_dim: 20, output_dim: 6, mask_zero: true }], ['Flatten'], head()]),
  chain('embedding_mask_lstm_stack', [8], [
    ['Embedding', { input_dim: 12, output_dim: 5, mask_zero: true }],
    ['Dropout', { rate: 0.2 }],
    ['LSTM', { units: 4, return_sequences: true }],
    ['Bidirectional', { layer: { class_name: 'GRU', config: { units: 3 } }, merge_mode: 'concat' }],
    head(),
  ]),
  // tfjs' executor still hands the mask to an LSTM after a Conv1D, which drops it.
  chain('embedding_mask_conv1d_lstm', [8], [
    ['Embedding', { input_dim: 6, output_dim: 4, mask_zero: true }],
    ['Conv1D', { filters: 3, kernel_size: 3, padding: 'same', activation: 'tanh' }],
    ['LSTM', { units: 4 }],
    head(),
  ]),
  chain('embedding_mask_rnn_seq', [6], [
    ['Embedding', { input_dim: 5, output_dim: 3, mask_zero: true }],
    ['SimpleRNN', { units: 4, return_sequences: true }],
    ['Flatten'], head(),
  ]),
];
