import type { z } from 'zod';
import { ActivationParamsSchema } from '../../../src-shared/layers/activation.ts';
import { BatchNormalizationParamsSchema } from '../../../src-shared/layers/batch-normalization.ts';
import { Conv2DParamsSchema } from '../../../src-shared/layers/conv2d.ts';
import { DenseParamsSchema } from '../../../src-shared/layers/dense.ts';
import { DropoutParamsSchema } from '../../../src-shared/layers/dropout.ts';
import type { ActivationName } from '../../../src-shared/layers/layer-params.ts';
import { ConcatenateParamsSchema } from '../../../src-shared/layers/merge.ts';
import { Pooling2DParamsSchema } from '../../../src-shared/layers/pooling2d.ts';
import type { Shape } from '../../../src-shared/spec/model-spec.ts';
import type { OutputRef } from './graph-binding-types.ts';
import type { GraphVariables } from './graph-variables.ts';
import { boolAttr, dtypeAttr, floatAttr, intsAttr, stringAttr, type GraphWriter } from './graph-writer.ts';

const F32 = dtypeAttr('float32');

/** One spec layer written as TensorFlow ops, for the training or the inference pass. */
export interface GraphLayerContext {
  w: GraphWriter;
  variables: GraphVariables;
  name: string;
  config: Record<string, unknown>;
  inputs: readonly OutputRef[];
  /** Per-sample shapes (no batch) from the graph analysis; all sizes known for a valid graph. */
  inputShapes: readonly Shape[];
  outputShape: Shape;
  /** Training pass: dropout drops, batch norm uses batch statistics and updates its averages. */
  training: boolean;
  /** Ops that must run with each training step (batch norm's moving averages). */
  updates: string[];
  /** Graph-level seed for random ops (dropout); 0 = fresh randomness per session. */
  seed: number;
  /** This layer's place in the graph, the op-level seed beside `seed`. */
  index: number;
}

export type GraphLayerBuilder = (ctx: GraphLayerContext) => OutputRef;

/** Why a model trains op by op instead: a kind or a setting this graph writer does not cover. */
export class GraphUnsupportedError extends Error {}

function known(shape: Shape, what: string): number[] {
  if (shape.some((d) => d === null)) throw new GraphUnsupportedError(`${what} has an unknown size ${JSON.stringify(shape)}`);
  return shape as number[];
}

export function activate(w: GraphWriter, x: OutputRef, activation: ActivationName): OutputRef {
  switch (activation) {
    case 'linear': return x;
    case 'relu': return w.unary('Relu', x);
    case 'sigmoid': return w.unary('Sigmoid', x);
    case 'tanh': return w.unary('Tanh', x);
    case 'softmax': return w.unary('Softmax', x);
    case 'elu': return w.unary('Elu', x);
    case 'selu': return w.unary('Selu', x);
    case 'softplus': return w.unary('Softplus', x);
    case 'swish': return w.binary('Mul', x, w.unary('Sigmoid', x));
    case 'gelu': throw new GraphUnsupportedError('gelu has no graph form yet');
  }
}

function typed<P>(schema: z.ZodType<P>, build: (ctx: GraphLayerContext, params: P) => OutputRef): GraphLayerBuilder {
  return (ctx) => ctx.w.scoped(ctx.name, () => build(ctx, schema.parse(ctx.config)));
}

const only = (ctx: GraphLayerContext): OutputRef => ctx.inputs[0]!;
const padding = (p: 'valid' | 'same') => stringAttr(p.toUpperCase());

function dense(ctx: GraphLayerContext, p: z.infer<typeof DenseParamsSchema>): OutputRef {
  const [inUnits] = known(ctx.inputShapes[0]!, `${ctx.name}'s input`).slice(-1);
  if (ctx.inputShapes[0]!.length !== 1) throw new GraphUnsupportedError(`${ctx.name}: Dense on a rank-${ctx.inputShapes[0]!.length} input`);
  const kernel = ctx.variables.get(ctx.name, 'kernel', [inUnits!, p.units]);
  let y = ctx.w.op('MatMul', [only(ctx), kernel], { T: F32, transpose_a: boolAttr(false), transpose_b: boolAttr(false) });
  if (p.use_bias) y = ctx.w.op('BiasAdd', [y, ctx.variables.get(ctx.name, 'bias', [p.units])], { T: F32, data_format: stringAttr('NHWC') });
  return activate(ctx.w, y, p.activation);
}

function conv2d(ctx: GraphLayerContext, p: z.infer<typeof Conv2DParamsSchema>): OutputRef {
  const [, , channels] = known(ctx.inputShapes[0]!, `${ctx.name}'s input`);
  const kernel = ctx.variables.get(ctx.name, 'kernel', [p.kernel_size[0], p.kernel_size[1], channels!, p.filters]);
  let y = ctx.w.op('Conv2D', [only(ctx), kernel], {
    T: F32, strides: intsAttr([1, p.strides[0], p.strides[1], 1]), padding: padding(p.padding),
    data_format: stringAttr('NHWC'), dilations: intsAttr([1, 1, 1, 1]), use_cudnn_on_gpu: boolAttr(true),
  });
  if (p.use_bias) y = ctx.w.op('BiasAdd', [y, ctx.variables.get(ctx.name, 'bias', [p.filters])], { T: F32, data_format: stringAttr('NHWC') });
  return activate(ctx.w, y, p.activation);
}

function pool(type: 'MaxPool' | 'AvgPool'): GraphLayerBuilder {
  return typed(Pooling2DParamsSchema, (ctx, p) => {
    const strides = p.strides ?? p.pool_size;
    return ctx.w.op(type, [only(ctx)], {
      T: F32, ksize: intsAttr([1, p.pool_size[0], p.pool_size[1], 1]), strides: intsAttr([1, strides[0], strides[1], 1]),
      padding: padding(p.padding), data_format: stringAttr('NHWC'),
    });
  });
}

/** Inverted dropout as Keras does it: keep with probability 1 − rate, scale kept values up. */
function dropout(ctx: GraphLayerContext, p: z.infer<typeof DropoutParamsSchema>): OutputRef {
  if (!ctx.training || p.rate === 0) return only(ctx);
  const { w } = ctx;
  const shape = w.op('Shape', [only(ctx)], { T: F32, out_type: dtypeAttr('int32') });
  // With a run seed, each dropout layer draws its own fixed sequence (seed, seed2 = layer index + 1).
  const seeds = ctx.seed === 0 ? { seed: 0, seed2: 0 } : { seed: ctx.seed, seed2: ctx.index + 1 };
  const noise = w.op('RandomUniform', [shape], {
    T: dtypeAttr('int32'), dtype: F32, seed: { type: 'int', value: seeds.seed }, seed2: { type: 'int', value: seeds.seed2 },
  });
  const keep = w.cast(w.op('GreaterEqual', [noise, w.scalar(p.rate)], { T: F32 }), 'bool', 'float32');
  return w.binary('Mul', w.binary('Mul', only(ctx), keep), w.scalar(1 / (1 - p.rate)));
}

/**
 * Batch normalisation over the last axis with TensorFlow's fused kernel (a Dense output
 * is viewed as a 1×1 image). Training normalises with the batch's statistics and moves
 * the averages by (1 − momentum), as Keras does; inference uses the averages.
 */
function batchNorm(ctx: GraphLayerContext, p: z.infer<typeof BatchNormalizationParamsSchema>): OutputRef {
  const shape = known(ctx.inputShapes[0]!, `${ctx.name}'s input`);
  if (p.axis !== -1 && p.axis !== shape.length) throw new GraphUnsupportedError(`${ctx.name}: batch normalisation over axis ${p.axis}`);
  const channels = shape.at(-1)!;
  const { w, variables } = ctx;
  const gamma = variables.get(ctx.name, 'gamma', [channels]);
  const beta = variables.get(ctx.name, 'beta', [channels]);
  const movingMean = variables.get(ctx.name, 'moving_mean', [channels], false);
  const movingVariance = variables.get(ctx.name, 'moving_variance', [channels], false);
  const image = shape.length === 3 ? only(ctx) : w.reshape(only(ctx), [-1, 1, shape.length === 1 ? 1 : shape.slice(0, -1).reduce((a, b) => a * b, 1), channels]);
  const empty = w.op('Const', [], { dtype: F32, value: { type: 'tensor', value: { dtype: 'float32', shape: [0], data: new Float32Array(0) } } }, { name: 'empty' });
  const [y, batchMean, batchVariance] = w.multi('FusedBatchNormV3', [image, gamma, beta, ctx.training ? empty : movingMean, ctx.training ? empty : movingVariance], {
    T: F32, U: F32, epsilon: floatAttr(p.epsilon), data_format: stringAttr('NHWC'), is_training: boolAttr(ctx.training),
    exponential_avg_factor: floatAttr(1),
  });
  if (ctx.training) {
    const handleOf = (weight: string) => variables.ofLayer(ctx.name).find((v) => v.weight === weight)!.handle;
    // The fused op returns the unbiased batch variance; Keras 3 and tfjs move the average
    // with the biased one (n − 1)/n of it, n being the values per channel in the batch.
    const perChannel = w.binary('RealDiv', w.cast(w.op('Size', [image], { T: F32, out_type: dtypeAttr('int32') }), 'int32', 'float32'), w.scalar(channels));
    const biasedVariance = w.binary('Mul', batchVariance!, w.binary('RealDiv', w.binary('Sub', perChannel, w.scalar(1)), perChannel));
    for (const [weight, moving, batch] of [['moving_mean', movingMean, batchMean], ['moving_variance', movingVariance, biasedVariance]] as const) {
      const delta = w.binary('Mul', w.binary('Sub', moving, batch!), w.scalar(1 - p.momentum));
      const [update] = w.op('AssignSubVariableOp', [handleOf(weight), delta], { dtype: F32 }, { name: `update_${weight}` });
      ctx.updates.push(update);
    }
  }
  return shape.length === 3 ? y! : w.reshape(y!, [-1, ...shape]);
}

export const GRAPH_LAYER_BUILDERS: Readonly<Record<string, GraphLayerBuilder>> = {
  Dense: typed(DenseParamsSchema, dense),
  Conv2D: typed(Conv2DParamsSchema, conv2d),
  MaxPooling2D: pool('MaxPool'),
  AveragePooling2D: pool('AvgPool'),
  GlobalAveragePooling2D: (ctx) => ctx.w.scoped(ctx.name, () => ctx.w.mean(only(ctx), [1, 2])),
  Flatten: (ctx) => ctx.w.scoped(ctx.name, () => ctx.w.reshape(only(ctx), [-1, known(ctx.outputShape, ctx.name)[0]!])),
  Reshape: (ctx) => ctx.w.scoped(ctx.name, () => ctx.w.reshape(only(ctx), [-1, ...known(ctx.outputShape, ctx.name)])),
  Dropout: typed(DropoutParamsSchema, dropout),
  Activation: typed(ActivationParamsSchema, (ctx, p) => activate(ctx.w, only(ctx), p.activation)),
  BatchNormalization: typed(BatchNormalizationParamsSchema, batchNorm),
  Add: (ctx) => ctx.w.scoped(ctx.name, () => ctx.inputs.slice(1).reduce((sum, x) => ctx.w.binary('AddV2', sum, x), ctx.inputs[0]!)),
  Concatenate: typed(ConcatenateParamsSchema, (ctx, p) =>
    ctx.w.op('ConcatV2', [ctx.inputs, ctx.w.scalar(p.axis, 'int32')], { T: F32, N: { type: 'int', value: ctx.inputs.length }, Tidx: dtypeAttr('int32') })),
};
