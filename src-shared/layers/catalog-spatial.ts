import { Conv1DKind, Conv2DTransposeKind, DepthwiseConv2DKind, SeparableConv2DKind } from './conv-variants.ts';
import type { LayerKind } from './layer-kind.ts';
import { AveragePooling1DKind, GlobalAveragePooling1DKind, GlobalMaxPooling1DKind, GlobalMaxPooling2DKind, MaxPooling1DKind } from './pooling-more.ts';
import { Cropping2DKind, UpSampling2DKind, ZeroPadding2DKind } from './resize-pad-crop.ts';

/** The catalog's spatial kinds, in palette order within each category (layer-catalog.ts lists them). */
export const SPATIAL_KINDS: readonly LayerKind[] = [
  Conv1DKind, Conv2DTransposeKind, DepthwiseConv2DKind, SeparableConv2DKind,
  MaxPooling1DKind, AveragePooling1DKind, GlobalAveragePooling1DKind, GlobalMaxPooling1DKind, GlobalMaxPooling2DKind,
  UpSampling2DKind, ZeroPadding2DKind, Cropping2DKind,
];
