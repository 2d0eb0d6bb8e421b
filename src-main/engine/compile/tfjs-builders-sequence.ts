import { AddParamsSchema } from '../../../src-shared/layers/merge.ts';
import { LayerNormalizationParamsSchema, LeakyReLUParamsSchema, PermuteParamsSchema, RepeatVectorParamsSchema, RescalingParamsSchema, SpatialDropout1DParamsSchema } from '../../../src-shared/layers/misc-kinds.ts';
import { BidirectionalParamsSchema, EmbeddingParamsSchema, GatedRnnParamsSchema, innerRecurrent, SimpleRNNParamsSchema } from '../../../src-shared/layers/recurrent-kinds.ts';
import { SpatialDropout2DParamsSchema } from '../../../src-shared/layers/spatial-dropout.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { builder, type LayerBuilder } from './tfjs-builder.ts';

type RnnConfig = { units: number; activation: string; use_bias: boolean; return_sequences: boolean; dropout: number; recurrent_dropout: number; recurrent_activation?: string };

/** A tfjs recurrent layer from Strata's (Keras-named) parameters. */
function recurrentLayer(tf: Tf, className: 'SimpleRNN' | 'LSTM' | 'GRU', name: string | undefined, p: RnnConfig) {
  const common = {
    ...(name && { name }), units: p.units, activation: p.activation as 'tanh', useBias: p.use_bias, returnSequences: p.return_sequences,
    dropout: p.dropout, recurrentDropout: p.recurrent_dropout,
  };
  if (className === 'SimpleRNN') return tf.layers.simpleRNN(common);
  const gated = { ...common, recurrentActivation: (p.recurrent_activation ?? 'sigmoid') as 'sigmoid' };
  return className === 'LSTM' ? tf.layers.lstm(gated) : tf.layers.gru(gated);
}

/** tfjs construction of the sequence and other kinds (catalog-sequence.ts), keyed by Keras class name. */
export const SEQUENCE_TFJS_BUILDERS: Readonly<Record<string, LayerBuilder>> = {
  Rescaling: builder(RescalingParamsSchema, (tf, name, p, apply) => apply(tf.layers.rescaling({ name, scale: p.scale, offset: p.offset }))),
  Embedding: builder(EmbeddingParamsSchema, (tf, name, p, apply) => apply(tf.layers.embedding({ name, inputDim: p.input_dim, outputDim: p.output_dim, maskZero: p.mask_zero }))),
  SimpleRNN: builder(SimpleRNNParamsSchema, (tf, name, p, apply) => apply(recurrentLayer(tf, 'SimpleRNN', name, p))),
  LSTM: builder(GatedRnnParamsSchema, (tf, name, p, apply) => apply(recurrentLayer(tf, 'LSTM', name, p))),
  GRU: builder(GatedRnnParamsSchema, (tf, name, p, apply) => apply(recurrentLayer(tf, 'GRU', name, p))),
  Bidirectional: builder(BidirectionalParamsSchema, (tf, name, p, apply) => {
    const { params } = innerRecurrent(p);
    const inner = recurrentLayer(tf, p.layer.class_name, undefined, params as RnnConfig);
    return apply(tf.layers.bidirectional({ name, layer: inner as Parameters<typeof tf.layers.bidirectional>[0]['layer'], mergeMode: p.merge_mode }));
  }),
  LayerNormalization: builder(LayerNormalizationParamsSchema, (tf, name, p, apply) => apply(tf.layers.layerNormalization({ name, axis: p.axis, epsilon: p.epsilon }))),
  SpatialDropout1D: builder(SpatialDropout1DParamsSchema, (tf, name, p, apply) => apply(tf.layers.spatialDropout1d({ name, rate: p.rate }))),
  SpatialDropout2D: builder(SpatialDropout2DParamsSchema, (tf, name, p, apply) => {
    // tfjs 4.22 has no spatialDropout2d. Keras defines it as Dropout whose mask is shared
    // over height and width (noise shape (batch, 1, 1, channels)); tfjs' stock Dropout takes
    // that noise shape (null: the input's size; its typings say number[] but Dropout reads
    // null so). The input spec makes tfjs refuse a non-image input, as Keras' does.
    const layer = tf.layers.dropout({ name, rate: p.rate, noiseShape: [null, 1, 1, null] as unknown as number[] });
    layer.inputSpec = [{ ndim: 4 }];
    return apply(layer);
  }),
  RepeatVector: builder(RepeatVectorParamsSchema, (tf, name, p, apply) => apply(tf.layers.repeatVector({ name, n: p.n }))),
  Permute: builder(PermuteParamsSchema, (tf, name, p, apply) => apply(tf.layers.permute({ name, dims: [...p.dims] }))),
  Multiply: builder(AddParamsSchema, (tf, name, _p, apply) => apply(tf.layers.multiply({ name }))),
  Average: builder(AddParamsSchema, (tf, name, _p, apply) => apply(tf.layers.average({ name }))),
  Maximum: builder(AddParamsSchema, (tf, name, _p, apply) => apply(tf.layers.maximum({ name }))),
  LeakyReLU: builder(LeakyReLUParamsSchema, (tf, name, p, apply) => apply(tf.layers.leakyReLU({ name, alpha: p.alpha }))),
};
