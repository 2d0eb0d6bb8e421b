import type { LayerKind } from './layer-kind.ts';
import { AverageKind, MaximumKind, MultiplyKind } from './merge.ts';
import { LayerNormalizationKind, LeakyReLUKind, PermuteKind, RepeatVectorKind, RescalingKind, SpatialDropout1DKind } from './misc-kinds.ts';
import { BidirectionalKind, EmbeddingKind, GRUKind, LSTMKind, SimpleRNNKind } from './recurrent-kinds.ts';
import { SpatialDropout2DKind } from './spatial-dropout.ts';

/** The catalog's sequence and other kinds, in palette order within each category (layer-catalog.ts lists them). */
export const SEQUENCE_KINDS: readonly LayerKind[] = [
  RescalingKind, EmbeddingKind,
  SimpleRNNKind, LSTMKind, GRUKind, BidirectionalKind,
  LayerNormalizationKind, SpatialDropout1DKind, SpatialDropout2DKind, RepeatVectorKind, PermuteKind,
  MultiplyKind, AverageKind, MaximumKind, LeakyReLUKind,
];
