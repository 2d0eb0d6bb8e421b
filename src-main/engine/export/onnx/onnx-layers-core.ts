import { ActivationParamsSchema } from '../../../../src-shared/layers/activation.ts';
import { BatchNormalizationParamsSchema } from '../../../../src-shared/layers/batch-normalization.ts';
import { DenseParamsSchema } from '../../../../src-shared/layers/dense.ts';
import { DropoutParamsSchema } from '../../../../src-shared/layers/dropout.ts';
import { FlattenParamsSchema } from '../../../../src-shared/layers/flatten.ts';
import { AddParamsSchema, ConcatenateParamsSchema } from '../../../../src-shared/layers/merge.ts';
import {
  LayerNormalizationParamsSchema, LeakyReLUParamsSchema, PermuteParamsSchema, RepeatVectorParamsSchema, RescalingParamsSchema, SpatialDropout1DParamsSchema,
} from '../../../../src-shared/layers/misc-kinds.ts';
import { EmbeddingParamsSchema } from '../../../../src-shared/layers/recurrent-kinds.ts';
import { ReshapeParamsSchema } from '../../../../src-shared/layers/reshape.ts';
import { resolveAxis } from '../../../../src-shared/layers/shape-rules.ts';
import { SpatialDropout2DParamsSchema } from '../../../../src-shared/layers/spatial-dropout.ts';
import { applyActivation } from './onnx-activations.ts';
import { attr, ONNX_INT64, type OnnxGraph } from './onnx-graph.ts';
import { converter, input, weight, type OnnxLayerContext, type OnnxLayerConverter } from './onnx-layer-context.ts';

/** Dense, merges, normalisation, reshaping and the other kinds that need no layout change. */

/** Dropout of every kind is the identity at inference, as in tfjs' predict. */
const identity = (ctx: OnnxLayerContext<unknown>) => ctx.g.op('Identity', [input(ctx).x], [], ctx.name);

/**
 * A per-axis vector (BatchNormalization's scale, LayerNormalization's gamma) as a constant
 * that broadcasts along `axis` of a batch-first tensor of this sample rank.
 */
function alongAxis(g: OnnxGraph, base: string, values: Float32Array, axisIndex: number, sampleRank: number): string {
  const dims = Array.from({ length: sampleRank - axisIndex }, (_, i) => (i === 0 ? values.length : 1));
  return g.weight(base, values, dims);
}

/** Element-wise merges written as tfjs folds them: left to right, one pair at a time. */
function foldInputs(ctx: OnnxLayerContext<unknown>, op: 'Add' | 'Mul' | 'Max'): string {
  const [first, ...rest] = ctx.inputs;
  if (first === undefined) throw new Error(`${ctx.name} has no inputs`);
  return rest.reduce((acc, next, i) => ctx.g.op(op, [acc, next], [], i === rest.length - 1 ? ctx.name : `${ctx.name}/${op.toLowerCase()}`), first);
}

export const CORE_ONNX_CONVERTERS: Readonly<Record<string, OnnxLayerConverter>> = {
  Dense: converter(DenseParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const { x, shape } = input(ctx);
    const features = shape[shape.length - 1]!;
    let y = g.op('MatMul', [x, g.weight(`${name}/kernel`, weight(ctx, 0, [features, p.units]), [features, p.units])], [], `${name}/matmul`);
    if (p.use_bias) y = g.op('Add', [y, g.weight(`${name}/bias`, weight(ctx, 1, [p.units]), [p.units])], [], `${name}/bias_add`);
    return applyActivation(g, y, p.activation, name);
  }),

  Activation: converter(ActivationParamsSchema, (ctx) => {
    const out = applyActivation(ctx.g, input(ctx).x, ctx.params.activation, ctx.name);
    return out === input(ctx).x ? identity(ctx) : out;
  }),

  Dropout: converter(DropoutParamsSchema, identity),
  SpatialDropout1D: converter(SpatialDropout1DParamsSchema, identity),
  SpatialDropout2D: converter(SpatialDropout2DParamsSchema, identity),

  // Tensors stay NHWC throughout, so flattening keeps the row-major (h, w, c) order the
  // Dense weights after it were trained on.
  Flatten: converter(FlattenParamsSchema, (ctx) => ctx.g.op('Flatten', [input(ctx).x], [attr.int('axis', 1)], ctx.name)),

  // The output shape is Strata's inferred one (any -1 already resolved); 0 keeps the batch.
  Reshape: converter(ReshapeParamsSchema, (ctx) => ctx.g.op('Reshape', [input(ctx).x, ctx.g.int64([0, ...ctx.outputShape])], [], ctx.name)),

  Permute: converter(PermuteParamsSchema, (ctx) => ctx.g.op('Transpose', [input(ctx).x], [attr.ints('perm', [0, ...ctx.params.dims])], ctx.name)),

  RepeatVector: converter(RepeatVectorParamsSchema, (ctx) => {
    const { g, name } = ctx;
    const once = g.op('Unsqueeze', [input(ctx).x, g.int64([1])], [], `${name}/unsqueeze`);
    return g.op('Tile', [once, g.int64([1, ctx.params.n, 1])], [], name);
  }),

  Concatenate: converter(ConcatenateParamsSchema, (ctx) => {
    const axis = resolveAxis('Concatenate', ctx.params.axis, input(ctx).shape) + 1;
    return ctx.g.op('Concat', ctx.inputs, [attr.int('axis', axis)], ctx.name);
  }),
  Add: converter(AddParamsSchema, (ctx) => foldInputs(ctx, 'Add')),
  Multiply: converter(AddParamsSchema, (ctx) => foldInputs(ctx, 'Mul')),
  Maximum: converter(AddParamsSchema, (ctx) => foldInputs(ctx, 'Max')),
  // tfjs sums, then multiplies by 1/n.
  Average: converter(AddParamsSchema, (ctx) => ctx.g.op('Mul', [foldInputs({ ...ctx, name: `${ctx.name}/sum` }, 'Add'), ctx.g.float(1 / ctx.inputs.length)], [], ctx.name)),

  // Inference uses the moving statistics: y = x·scale + shift with scale = γ/√(var+ε) and
  // shift = β − mean·scale, folded in double precision, broadcast along the layer's axis.
  BatchNormalization: converter(BatchNormalizationParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const { x, shape } = input(ctx);
    const axis = resolveAxis('BatchNormalization', p.axis, shape);
    const size = shape[axis]!;
    const [gamma, beta, mean, variance] = [0, 1, 2, 3].map((i) => weight(ctx, i, [size]));
    const scale = new Float32Array(size);
    const shift = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const s = gamma![i]! / Math.sqrt(variance![i]! + p.epsilon);
      scale[i] = s;
      shift[i] = beta![i]! - mean![i]! * s;
    }
    const scaled = g.op('Mul', [x, alongAxis(g, `${name}/scale`, scale, axis, shape.length)], [], `${name}/scaled`);
    return g.op('Add', [scaled, alongAxis(g, `${name}/shift`, shift, axis, shape.length)], [], name);
  }),

  // (x − mean)/√(var + ε)·γ + β over one axis of each sample. On the last axis that is
  // ONNX's LayerNormalization; on another axis it is written out (ONNX's op normalises
  // over every axis from `axis` to the end).
  LayerNormalization: converter(LayerNormalizationParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const { x, shape } = input(ctx);
    const axis = resolveAxis('LayerNormalization', p.axis, shape);
    const size = shape[axis]!;
    const gamma = weight(ctx, 0, [size]);
    const beta = weight(ctx, 1, [size]);
    if (axis === shape.length - 1) {
      return g.op('LayerNormalization', [x, g.weight(`${name}/gamma`, gamma, [size]), g.weight(`${name}/beta`, beta, [size])],
        [attr.int('axis', -1), attr.float('epsilon', p.epsilon)], name);
    }
    const axes = [attr.ints('axes', [axis + 1]), attr.int('keepdims', 1)];
    const mean = g.op('ReduceMean', [x], axes, `${name}/mean`);
    const centred = g.op('Sub', [x, mean], [], `${name}/centred`);
    const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred], [], `${name}/squared`)], axes, `${name}/variance`);
    const std = g.op('Sqrt', [g.op('Add', [variance, g.float(p.epsilon)], [], `${name}/var_eps`)], [], `${name}/std`);
    const normed = g.op('Div', [centred, std], [], `${name}/normed`);
    const scaled = g.op('Mul', [normed, alongAxis(g, `${name}/gamma`, gamma, axis, shape.length)], [], `${name}/scaled`);
    return g.op('Add', [scaled, alongAxis(g, `${name}/beta`, beta, axis, shape.length)], [], name);
  }),

  // tfjs: inputs · scale + offset.
  Rescaling: converter(RescalingParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    return g.op('Add', [g.op('Mul', [input(ctx).x, g.float(p.scale)], [], `${name}/scaled`), g.float(p.offset)], [], name);
  }),

  LeakyReLU: converter(LeakyReLUParamsSchema, (ctx) => ctx.g.op('LeakyRelu', [input(ctx).x], [attr.float('alpha', ctx.params.alpha)], ctx.name)),

  // Word ids arrive as float32 (as in tfjs' predict); tfjs casts them to int32, which
  // truncates like ONNX's Cast to int64. Gather then picks each id's row.
  Embedding: converter(EmbeddingParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const ids = g.op('Cast', [input(ctx).x], [attr.int('to', ONNX_INT64)], `${name}/ids`);
    const table = g.weight(`${name}/embeddings`, weight(ctx, 0, [p.input_dim, p.output_dim]), [p.input_dim, p.output_dim]);
    return g.op('Gather', [table, ids], [attr.int('axis', 0)], name);
  }),
};
