import type { LayerCategory, LayerKind } from './layer-kind.ts';
import { ActivationKind } from './activation.ts';
import { BatchNormalizationKind } from './batch-normalization.ts';
import { Conv2DKind } from './conv2d.ts';
import { DenseKind } from './dense.ts';
import { DropoutKind } from './dropout.ts';
import { FlattenKind } from './flatten.ts';
import { InputKind } from './input.ts';
import { AddKind, ConcatenateKind } from './merge.ts';
import { AveragePooling2DKind, GlobalAveragePooling2DKind, MaxPooling2DKind } from './pooling2d.ts';
import { ReshapeKind } from './reshape.ts';
import { SEQUENCE_KINDS } from './catalog-sequence.ts';
import { SPATIAL_KINDS } from './catalog-spatial.ts';

/**
 * The layer catalog: every kind Strata can build, keyed by Keras class name. Adding a kind
 * means one file in this folder, one line here and one tfjs builder in the engine (a test
 * fails until both sides agree).
 */
const KINDS: readonly LayerKind[] = [
  InputKind,
  DenseKind,
  Conv2DKind,
  MaxPooling2DKind,
  AveragePooling2DKind,
  GlobalAveragePooling2DKind,
  FlattenKind,
  ReshapeKind,
  DropoutKind,
  ActivationKind,
  BatchNormalizationKind,
  AddKind,
  ConcatenateKind,
  ...SPATIAL_KINDS,
  ...SEQUENCE_KINDS,
];

/** Every layer kind, by Keras class name, in palette order within each category. */
export const LAYER_CATALOG: ReadonlyMap<string, LayerKind> = new Map(KINDS.map((kind) => [kind.className, kind]));

/** The kind for a class name, or undefined for one Strata does not know. */
export function getLayerKind(className: string): LayerKind | undefined {
  return LAYER_CATALOG.get(className);
}

/** The order the palette lists categories in: roughly the order a model is built. */
export const CATEGORY_ORDER: readonly LayerCategory[] = [
  'Input',
  'Core',
  'Convolution',
  'Pooling',
  'Recurrent',
  'Normalization',
  'Regularization',
  'Reshape',
  'Merge',
  'Activation',
];

/** The palette's sections: each category with its kinds, empty categories left out. */
export function kindsByCategory(): Array<{ category: LayerCategory; kinds: LayerKind[] }> {
  return CATEGORY_ORDER.map((category) => ({ category, kinds: KINDS.filter((k) => k.category === category) })).filter(
    (section) => section.kinds.length > 0,
  );
}
