import type { z } from 'zod';
import { ActivationParamsSchema } from '../../../../src-shared/layers/activation.ts';
import { BatchNormalizationParamsSchema } from '../../../../src-shared/layers/batch-normalization.ts';
import { Conv1DParamsSchema, Conv2DTransposeParamsSchema, DepthwiseConv2DParamsSchema, SeparableConv2DParamsSchema } from '../../../../src-shared/layers/conv-variants.ts';
import { Conv2DParamsSchema } from '../../../../src-shared/layers/conv2d.ts';
import { DenseParamsSchema } from '../../../../src-shared/layers/dense.ts';
import { DropoutParamsSchema } from '../../../../src-shared/layers/dropout.ts';
import { FlattenParamsSchema } from '../../../../src-shared/layers/flatten.ts';
import { InputParamsSchema } from '../../../../src-shared/layers/input.ts';
import { AddParamsSchema, ConcatenateParamsSchema } from '../../../../src-shared/layers/merge.ts';
import { LayerNormalizationParamsSchema, LeakyReLUParamsSchema, PermuteParamsSchema, RepeatVectorParamsSchema, RescalingParamsSchema, SpatialDropout1DParamsSchema } from '../../../../src-shared/layers/misc-kinds.ts';
import { Pooling1DParamsSchema } from '../../../../src-shared/layers/pooling-more.ts';
import { GlobalAveragePooling2DParamsSchema, Pooling2DParamsSchema } from '../../../../src-shared/layers/pooling2d.ts';
import { BidirectionalParamsSchema, EmbeddingParamsSchema, GatedRnnParamsSchema, innerRecurrent, SimpleRNNParamsSchema } from '../../../../src-shared/layers/recurrent-kinds.ts';
import { ReshapeParamsSchema } from '../../../../src-shared/layers/reshape.ts';
import { Cropping2DParamsSchema, UpSampling2DParamsSchema, ZeroPadding2DParamsSchema } from '../../../../src-shared/layers/resize-pad-crop.ts';
import { SpatialDropout2DParamsSchema } from '../../../../src-shared/layers/spatial-dropout.ts';
import { StrataError } from '../../../strata-error.ts';

/**
 * Each catalog kind as the Keras 3 layer that computes the same function: its class name
 * and the config Keras' own get_config writes (initializers and regularizers left to
 * Keras' defaults, which are tfjs' too). Where tfjs and Keras differ in a default — GRU's
 * reset_after, LeakyReLU's alpha — the config says tfjs' choice explicitly.
 */

/** The part of a layer's Keras serialization that depends on its kind. */
export interface KerasLayerKind {
  className: string;
  config: Record<string, unknown>;
  /** false for the few Keras 3 layers whose __init__ takes no `trainable` (SpatialDropout1D/2D). */
  takesTrainable?: false;
}

/** Keras' float32 dtype policy, as get_config writes it. */
export const FLOAT32_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null } as const;

const CHANNELS_LAST = { data_format: 'channels_last' } as const;

type Mapping = (config: Record<string, unknown>, name: string) => KerasLayerKind;

function mapping<P>(schema: z.ZodType<P>, toKeras: (p: P, name: string) => KerasLayerKind): Mapping {
  return (config, name) => toKeras(schema.parse(config), name);
}

const same = (className: string, config: Record<string, unknown> = {}): KerasLayerKind => ({ className, config });

type RnnParams = z.infer<typeof SimpleRNNParamsSchema> & { recurrent_activation?: string };

/** A recurrent layer's Keras config: the fields Keras writes, with tfjs' GRU (reset_after false). */
function recurrentConfig(className: 'SimpleRNN' | 'LSTM' | 'GRU', p: RnnParams): Record<string, unknown> {
  return {
    return_sequences: p.return_sequences, return_state: false, go_backwards: false, stateful: false, unroll: false, zero_output_for_mask: false,
    units: p.units, activation: p.activation,
    ...(className !== 'SimpleRNN' && { recurrent_activation: p.recurrent_activation ?? 'sigmoid' }),
    use_bias: p.use_bias,
    ...(className === 'LSTM' && { unit_forget_bias: true }),
    dropout: p.dropout, recurrent_dropout: p.recurrent_dropout,
    // tfjs 4.22 builds the original GRU (reset gate before the recurrent matmul, one bias).
    ...(className === 'GRU' && { reset_after: false }),
    seed: null,
  };
}

const rnn = (className: 'SimpleRNN' | 'LSTM' | 'GRU'): Mapping =>
  mapping(className === 'SimpleRNN' ? SimpleRNNParamsSchema : GatedRnnParamsSchema, (p) => same(className, recurrentConfig(className, p)));

const pooling2d = (className: string): Mapping => mapping(Pooling2DParamsSchema, (p) => same(className, {
  pool_size: p.pool_size, padding: p.padding, strides: p.strides ?? p.pool_size, ...CHANNELS_LAST,
}));

const pooling1d = (className: string): Mapping => mapping(Pooling1DParamsSchema, (p) => same(className, {
  pool_size: [p.pool_size], padding: p.padding, strides: [p.strides ?? p.pool_size], ...CHANNELS_LAST,
}));

const globalPooling = (className: string): Mapping => mapping(GlobalAveragePooling2DParamsSchema, () => same(className, { ...CHANNELS_LAST, keepdims: false }));

const merge = (className: string): Mapping => mapping(AddParamsSchema, () => same(className));

/** The Keras form of every catalog kind except Input (which becomes an InputLayer, see keras-config.ts). */
const KERAS_LAYERS: Readonly<Record<string, Mapping>> = {
  Dense: mapping(DenseParamsSchema, (p) => same('Dense', { units: p.units, activation: p.activation, use_bias: p.use_bias })),
  Conv2D: mapping(Conv2DParamsSchema, (p) => same('Conv2D', {
    filters: p.filters, kernel_size: p.kernel_size, strides: p.strides, padding: p.padding, ...CHANNELS_LAST,
    dilation_rate: [1, 1], groups: 1, activation: p.activation, use_bias: p.use_bias,
  })),
  Conv1D: mapping(Conv1DParamsSchema, (p) => same('Conv1D', {
    filters: p.filters, kernel_size: [p.kernel_size], strides: [p.strides], padding: p.padding, ...CHANNELS_LAST,
    dilation_rate: [p.dilation_rate], groups: 1, activation: p.activation, use_bias: p.use_bias,
  })),
  Conv2DTranspose: mapping(Conv2DTransposeParamsSchema, (p) => same('Conv2DTranspose', {
    filters: p.filters, kernel_size: p.kernel_size, strides: p.strides, padding: p.padding, output_padding: null, ...CHANNELS_LAST,
    dilation_rate: [1, 1], activation: p.activation, use_bias: p.use_bias,
  })),
  DepthwiseConv2D: mapping(DepthwiseConv2DParamsSchema, (p) => same('DepthwiseConv2D', {
    depth_multiplier: p.depth_multiplier, kernel_size: p.kernel_size, strides: p.strides, padding: p.padding, ...CHANNELS_LAST,
    dilation_rate: [1, 1], activation: p.activation, use_bias: p.use_bias,
  })),
  SeparableConv2D: mapping(SeparableConv2DParamsSchema, (p) => same('SeparableConv2D', {
    filters: p.filters, kernel_size: p.kernel_size, strides: p.strides, padding: p.padding, ...CHANNELS_LAST,
    dilation_rate: [1, 1], depth_multiplier: p.depth_multiplier, activation: p.activation, use_bias: p.use_bias,
  })),
  MaxPooling2D: pooling2d('MaxPooling2D'),
  AveragePooling2D: pooling2d('AveragePooling2D'),
  MaxPooling1D: pooling1d('MaxPooling1D'),
  AveragePooling1D: pooling1d('AveragePooling1D'),
  GlobalAveragePooling2D: globalPooling('GlobalAveragePooling2D'),
  GlobalMaxPooling2D: globalPooling('GlobalMaxPooling2D'),
  GlobalAveragePooling1D: globalPooling('GlobalAveragePooling1D'),
  GlobalMaxPooling1D: globalPooling('GlobalMaxPooling1D'),
  Flatten: mapping(FlattenParamsSchema, () => same('Flatten', { ...CHANNELS_LAST })),
  // Keras resolves a -1 itself, from the input's known sizes, as Strata does.
  Reshape: mapping(ReshapeParamsSchema, (p) => same('Reshape', { target_shape: p.target_shape })),
  Dropout: mapping(DropoutParamsSchema, (p) => same('Dropout', { rate: p.rate, seed: null, noise_shape: null })),
  SpatialDropout1D: mapping(SpatialDropout1DParamsSchema, (p) => ({ ...same('SpatialDropout1D', { rate: p.rate, seed: null }), takesTrainable: false })),
  SpatialDropout2D: mapping(SpatialDropout2DParamsSchema, (p) => ({ ...same('SpatialDropout2D', { rate: p.rate, seed: null, ...CHANNELS_LAST }), takesTrainable: false })),
  Activation: mapping(ActivationParamsSchema, (p) => same('Activation', { activation: p.activation })),
  LeakyReLU: mapping(LeakyReLUParamsSchema, (p) => same('LeakyReLU', { negative_slope: p.alpha })),
  BatchNormalization: mapping(BatchNormalizationParamsSchema, (p) => same('BatchNormalization', {
    axis: p.axis, momentum: p.momentum, epsilon: p.epsilon, center: true, scale: true,
  })),
  LayerNormalization: mapping(LayerNormalizationParamsSchema, (p) => same('LayerNormalization', {
    axis: p.axis, epsilon: p.epsilon, center: true, scale: true, rms_scaling: false,
  })),
  Rescaling: mapping(RescalingParamsSchema, (p) => same('Rescaling', { scale: p.scale, offset: p.offset })),
  Embedding: mapping(EmbeddingParamsSchema, (p) => same('Embedding', { input_dim: p.input_dim, output_dim: p.output_dim, mask_zero: p.mask_zero })),
  SimpleRNN: rnn('SimpleRNN'),
  LSTM: rnn('LSTM'),
  GRU: rnn('GRU'),
  Bidirectional: mapping(BidirectionalParamsSchema, (p, name) => {
    const { params } = innerRecurrent(p);
    const inner = p.layer.class_name;
    // Keras makes the backward copy itself (go_backwards flipped) and names both halves
    // forward_<inner name> and backward_<inner name>.
    return same('Bidirectional', {
      merge_mode: p.merge_mode,
      layer: {
        module: 'keras.layers', class_name: inner, registered_name: null,
        config: { name: `${name}_${inner.toLowerCase()}`, trainable: true, dtype: FLOAT32_POLICY, ...recurrentConfig(inner, params as RnnParams) },
      },
    });
  }),
  RepeatVector: mapping(RepeatVectorParamsSchema, (p) => same('RepeatVector', { n: p.n })),
  Permute: mapping(PermuteParamsSchema, (p) => same('Permute', { dims: p.dims })),
  UpSampling2D: mapping(UpSampling2DParamsSchema, (p) => same('UpSampling2D', { size: p.size, ...CHANNELS_LAST, interpolation: p.interpolation })),
  ZeroPadding2D: mapping(ZeroPadding2DParamsSchema, (p) => same('ZeroPadding2D', { padding: p.padding, ...CHANNELS_LAST })),
  Cropping2D: mapping(Cropping2DParamsSchema, (p) => same('Cropping2D', { cropping: p.cropping, ...CHANNELS_LAST })),
  Add: merge('Add'),
  Multiply: merge('Multiply'),
  Average: merge('Average'),
  Maximum: merge('Maximum'),
  Concatenate: mapping(ConcatenateParamsSchema, (p) => same('Concatenate', { axis: p.axis })),
};

/** The class names the Keras export can write (every catalog kind; a test holds them equal). */
export const KERAS_EXPORTABLE: ReadonlySet<string> = new Set(['Input', ...Object.keys(KERAS_LAYERS)]);

/** The Input layer's shape, parsed as the engine parses it. */
export function inputShapeOf(config: Record<string, unknown>): number[] {
  return [...InputParamsSchema.parse(config).shape];
}

/** A spec layer (not Input) as a Keras class and config; KERAS_UNSUPPORTED for a kind Keras cannot take. */
export function kerasLayerKind(className: string, name: string, config: Record<string, unknown>): KerasLayerKind {
  const toKeras = KERAS_LAYERS[className];
  if (!toKeras) {
    throw new StrataError('KERAS_UNSUPPORTED', `The layer ${name} (${className}) has no Keras 3 equivalent Strata can write; replace it with a layer from the palette before exporting to Keras.`, { layer: name, className });
  }
  try {
    return toKeras(config, name);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StrataError('KERAS_UNSUPPORTED', `The layer ${name} (${className}) has a config Keras cannot take: ${reason}. Fix it in the inspector and export again.`, { layer: name, className });
  }
}
