import { builder, type LayerBuilder } from './tfjs-builder.ts';
export type { LayerBuilder, LayerBuildContext } from './tfjs-builder.ts';
import { ActivationParamsSchema } from '../../../src-shared/layers/activation.ts';
import { BatchNormalizationParamsSchema } from '../../../src-shared/layers/batch-normalization.ts';
import { Conv2DParamsSchema } from '../../../src-shared/layers/conv2d.ts';
import { DenseParamsSchema } from '../../../src-shared/layers/dense.ts';
import { DropoutParamsSchema } from '../../../src-shared/layers/dropout.ts';
import { FlattenParamsSchema } from '../../../src-shared/layers/flatten.ts';
import { InputParamsSchema } from '../../../src-shared/layers/input.ts';
import { AddParamsSchema, ConcatenateParamsSchema } from '../../../src-shared/layers/merge.ts';
import { GlobalAveragePooling2DParamsSchema, Pooling2DParamsSchema } from '../../../src-shared/layers/pooling2d.ts';
import { ReshapeParamsSchema } from '../../../src-shared/layers/reshape.ts';
import { SEQUENCE_TFJS_BUILDERS } from './tfjs-builders-sequence.ts';
import { SPATIAL_TFJS_BUILDERS } from './tfjs-builders-spatial.ts';

/**
 * Replaces a -1 in a Reshape target with the size it stands for. tfjs 4.22's
 * Reshape.computeOutputShape counts the (always unknown) batch as an unknown size and so
 * leaves -1 unresolved in the symbolic shape, which breaks a Dense or Flatten after it;
 * Strata knows every size, so it resolves -1 as Keras would.
 */
function resolveMinusOne(target: readonly number[], input: readonly (number | null)[]): number[] {
  if (!target.includes(-1) || input.some((d) => d === null)) return [...target];
  const total = (input as number[]).reduce((a, b) => a * b, 1);
  const known = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
  return target.map((d) => (d === -1 ? total / known : d));
}

/** The tfjs construction of every catalog kind, keyed by the same Keras class name. */
export const TFJS_LAYER_BUILDERS: Readonly<Record<string, LayerBuilder>> = {
  ...SPATIAL_TFJS_BUILDERS,
  ...SEQUENCE_TFJS_BUILDERS,
  Input: builder(InputParamsSchema, (tf, name, p) => tf.input({ name, shape: [...p.shape] })),
  Dense: builder(DenseParamsSchema, (tf, name, p, apply) =>
    apply(tf.layers.dense({ name, units: p.units, activation: p.activation, useBias: p.use_bias }))),
  Conv2D: builder(Conv2DParamsSchema, (tf, name, p, apply) =>
    apply(tf.layers.conv2d({
      name,
      filters: p.filters,
      kernelSize: [...p.kernel_size],
      strides: [...p.strides],
      padding: p.padding,
      activation: p.activation,
      useBias: p.use_bias,
    }))),
  MaxPooling2D: builder(Pooling2DParamsSchema, (tf, name, p, apply) =>
    apply(tf.layers.maxPooling2d({ name, poolSize: [...p.pool_size], strides: p.strides ? [...p.strides] : undefined, padding: p.padding }))),
  AveragePooling2D: builder(Pooling2DParamsSchema, (tf, name, p, apply) =>
    apply(tf.layers.averagePooling2d({ name, poolSize: [...p.pool_size], strides: p.strides ? [...p.strides] : undefined, padding: p.padding }))),
  GlobalAveragePooling2D: builder(GlobalAveragePooling2DParamsSchema, (tf, name, _p, apply) =>
    apply(tf.layers.globalAveragePooling2d({ name }))),
  Flatten: builder(FlattenParamsSchema, (tf, name, _p, apply) => apply(tf.layers.flatten({ name }))),
  Reshape: builder(ReshapeParamsSchema, (tf, name, p, apply, inputs) =>
    apply(tf.layers.reshape({ name, targetShape: resolveMinusOne(p.target_shape, inputs[0]?.shape.slice(1) ?? []) }))),
  Dropout: builder(DropoutParamsSchema, (tf, name, p, apply) => apply(tf.layers.dropout({ name, rate: p.rate }))),
  Activation: builder(ActivationParamsSchema, (tf, name, p, apply) => apply(tf.layers.activation({ name, activation: p.activation }))),
  BatchNormalization: builder(BatchNormalizationParamsSchema, (tf, name, p, apply) =>
    apply(tf.layers.batchNormalization({ name, axis: p.axis, momentum: p.momentum, epsilon: p.epsilon }))),
  Add: builder(AddParamsSchema, (tf, name, _p, apply) => apply(tf.layers.add({ name }))),
  Concatenate: builder(ConcatenateParamsSchema, (tf, name, p, apply, inputs) => {
    // tfjs 4.22 computes the symbolic shape with the right axis but concatenates every
    // negative axis as -1 at run time (backend/tfjs_backend.ts concatenate), so pass the
    // same axis counted from the front, batch included, as Keras counts positive axes.
    const rank = inputs[0]?.shape.length ?? 0;
    return apply(tf.layers.concatenate({ name, axis: p.axis < 0 ? rank + p.axis : p.axis }));
  }),
};
