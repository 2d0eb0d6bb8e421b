import { Conv1DParamsSchema, Conv2DTransposeParamsSchema, DepthwiseConv2DParamsSchema, SeparableConv2DParamsSchema } from '../../../../src-shared/layers/conv-variants.ts';
import { Conv2DParamsSchema } from '../../../../src-shared/layers/conv2d.ts';
import type { Padding } from '../../../../src-shared/layers/layer-params.ts';
import { GlobalMaxPooling2DKind, Pooling1DParamsSchema } from '../../../../src-shared/layers/pooling-more.ts';
import { GlobalAveragePooling2DParamsSchema, Pooling2DParamsSchema } from '../../../../src-shared/layers/pooling2d.ts';
import { Cropping2DParamsSchema, UpSampling2DParamsSchema, ZeroPadding2DParamsSchema } from '../../../../src-shared/layers/resize-pad-crop.ts';
import { applyActivation } from './onnx-activations.ts';
import { attr, type OnnxAttribute, type OnnxGraph } from './onnx-graph.ts';
import { converter, input, permute, weight, type OnnxLayerContext, type OnnxLayerConverter } from './onnx-layer-context.ts';

/**
 * Convolutions, pooling and image plumbing. Strata's tensors stay channels-last (NHWC, or
 * (batch, steps, features) for sequences) between layers, so Flatten and Dense see them as
 * tfjs does; the ops ONNX defines only channels-first (Conv, ConvTranspose, pooling, Resize)
 * are wrapped in a Transpose on each side; onnxruntime's transpose optimiser removes the
 * back-and-forth pairs between neighbouring layers.
 */

/** Channels-last → channels-first for a batch-first tensor with this many sample axes. */
function toChannelsFirst(g: OnnxGraph, x: string, sampleRank: number, scope: string): string {
  const perm = [0, sampleRank, ...Array.from({ length: sampleRank - 1 }, (_, i) => i + 1)];
  return g.op('Transpose', [x], [attr.ints('perm', perm)], `${scope}/to_nchw`);
}

function toChannelsLast(g: OnnxGraph, x: string, sampleRank: number, scope: string): string {
  const perm = [0, ...Array.from({ length: sampleRank - 1 }, (_, i) => i + 2), 1];
  return g.op('Transpose', [x], [attr.ints('perm', perm)], `${scope}/to_nhwc`);
}

/**
 * TensorFlow's padding for one spatial axis: none for 'valid'; for 'same' the output is
 * ceil(in / stride) and the padding needed for that is split with the extra row at the end.
 */
function axisPads(size: number, window: number, stride: number, padding: Padding, dilation = 1): [number, number] {
  if (padding === 'valid') return [0, 0];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (window - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** ONNX's pads attribute: every axis' start, then every axis' end. */
function padsAttr(sizes: readonly number[], windows: readonly number[], strides: readonly number[], padding: Padding, dilations?: readonly number[]): OnnxAttribute {
  const pairs = sizes.map((s, i) => axisPads(s, windows[i]!, strides[i]!, padding, dilations?.[i] ?? 1));
  return attr.ints('pads', [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])]);
}

/** The bias of a convolution as its third ONNX input, when the layer has one. */
function convBias(ctx: OnnxLayerContext<{ use_bias: boolean }>, idx: number, channels: number): string[] {
  return ctx.params.use_bias ? [ctx.g.weight(`${ctx.name}/bias`, weight(ctx, idx, [channels]), [channels])] : [];
}

/** Runs `body` channels-first on the layer's input and hands back channels-last. */
function channelsFirst(ctx: OnnxLayerContext<unknown>, body: (x: string, sizes: number[], channels: number) => string): string {
  const { x, shape } = input(ctx);
  const rank = shape.length;
  const out = body(toChannelsFirst(ctx.g, x, rank, ctx.name), shape.slice(0, -1), shape[rank - 1]!);
  return toChannelsLast(ctx.g, out, rank, ctx.name);
}

/** Max or average pooling with windows k and strides s over every spatial axis. */
function pool(ctx: OnnxLayerContext<unknown>, op: 'MaxPool' | 'AveragePool', k: number[], s: number[], padding: Padding): string {
  // AveragePool's default count_include_pad = 0 averages only real values, as TensorFlow does.
  return channelsFirst(ctx, (x, sizes) =>
    ctx.g.op(op, [x], [attr.ints('kernel_shape', k), attr.ints('strides', s), padsAttr(sizes, k, s, padding)], `${ctx.name}/${op.toLowerCase()}`));
}

const globalPool = (op: 'ReduceMean' | 'ReduceMax', axes: number[]) => (ctx: OnnxLayerContext<unknown>) =>
  ctx.g.op(op, [input(ctx).x], [attr.ints('axes', axes), attr.int('keepdims', 0)], ctx.name);

export const SPATIAL_ONNX_CONVERTERS: Readonly<Record<string, OnnxLayerConverter>> = {
  // tfjs kernel (kh, kw, in, out) → ONNX (out, in, kh, kw).
  Conv2D: converter(Conv2DParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const y = channelsFirst(ctx, (x, sizes, c) => {
      const k = permute(weight(ctx, 0, [...p.kernel_size, c, p.filters]), [...p.kernel_size, c, p.filters], [3, 2, 0, 1]);
      return g.op('Conv', [x, g.weight(`${name}/kernel`, k.values, k.shape), ...convBias(ctx, 1, p.filters)],
        [attr.ints('kernel_shape', p.kernel_size), attr.ints('strides', p.strides), padsAttr(sizes, p.kernel_size, p.strides, p.padding)], `${name}/conv`);
    });
    return applyActivation(g, y, p.activation, name);
  }),

  Conv1D: converter(Conv1DParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const y = channelsFirst(ctx, (x, sizes, c) => {
      const k = permute(weight(ctx, 0, [p.kernel_size, c, p.filters]), [p.kernel_size, c, p.filters], [2, 1, 0]);
      return g.op('Conv', [x, g.weight(`${name}/kernel`, k.values, k.shape), ...convBias(ctx, 1, p.filters)], [
        attr.ints('kernel_shape', [p.kernel_size]), attr.ints('strides', [p.strides]), attr.ints('dilations', [p.dilation_rate]),
        padsAttr(sizes, [p.kernel_size], [p.strides], p.padding, [p.dilation_rate]),
      ], `${name}/conv`);
    });
    return applyActivation(g, y, p.activation, name);
  }),

  // tfjs' kernel is (kh, kw, out, in); ONNX's ConvTranspose wants (in, out, kh, kw). tfjs
  // makes in·stride (+ what the kernel overhangs, for 'valid') rows: TensorFlow's padding
  // of that output, plus output_padding where the kernel is smaller than the stride.
  Conv2DTranspose: converter(Conv2DTransposeParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const y = channelsFirst(ctx, (x, sizes, c) => {
      const k = permute(weight(ctx, 0, [...p.kernel_size, p.filters, c]), [...p.kernel_size, p.filters, c], [3, 2, 0, 1]);
      const pads = sizes.map((_, i) => {
        const [kernel, stride] = [p.kernel_size[i]!, p.strides[i]!];
        const total = p.padding === 'same' ? Math.max(kernel - stride, 0) : 0;
        return [Math.floor(total / 2), total - Math.floor(total / 2)] as const;
      });
      const extra = p.kernel_size.map((kernel, i) => Math.max(p.strides[i]! - kernel, 0));
      return g.op('ConvTranspose', [x, g.weight(`${name}/kernel`, k.values, k.shape), ...convBias(ctx, 1, p.filters)], [
        attr.ints('kernel_shape', p.kernel_size), attr.ints('strides', p.strides),
        attr.ints('pads', [...pads.map((q) => q[0]), ...pads.map((q) => q[1])]), attr.ints('output_padding', extra),
      ], `${name}/conv_transpose`);
    });
    return applyActivation(g, y, p.activation, name);
  }),

  // A grouped convolution, one group per input channel: tfjs' (kh, kw, in, multiplier)
  // becomes (in·multiplier, 1, kh, kw), output channel c·multiplier + m as in tfjs.
  DepthwiseConv2D: converter(DepthwiseConv2DParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const y = channelsFirst(ctx, (x, sizes, c) => {
      const out = c * p.depth_multiplier;
      const k = permute(weight(ctx, 0, [...p.kernel_size, c, p.depth_multiplier]), [...p.kernel_size, c, p.depth_multiplier], [2, 3, 0, 1]);
      return g.op('Conv', [x, g.weight(`${name}/depthwise_kernel`, k.values, [out, 1, ...p.kernel_size]), ...convBias(ctx, 1, out)], [
        attr.int('group', c), attr.ints('kernel_shape', p.kernel_size), attr.ints('strides', p.strides), padsAttr(sizes, p.kernel_size, p.strides, p.padding),
      ], `${name}/depthwise`);
    });
    return applyActivation(g, y, p.activation, name);
  }),

  // Depthwise (strides and padding), then a 1×1 convolution mixing channels, then the bias.
  SeparableConv2D: converter(SeparableConv2DParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    const y = channelsFirst(ctx, (x, sizes, c) => {
      const mid = c * p.depth_multiplier;
      const dk = permute(weight(ctx, 0, [...p.kernel_size, c, p.depth_multiplier]), [...p.kernel_size, c, p.depth_multiplier], [2, 3, 0, 1]);
      const depthwise = g.op('Conv', [x, g.weight(`${name}/depthwise_kernel`, dk.values, [mid, 1, ...p.kernel_size])], [
        attr.int('group', c), attr.ints('kernel_shape', p.kernel_size), attr.ints('strides', p.strides), padsAttr(sizes, p.kernel_size, p.strides, p.padding),
      ], `${name}/depthwise`);
      const pk = permute(weight(ctx, 1, [1, 1, mid, p.filters]), [1, 1, mid, p.filters], [3, 2, 0, 1]);
      return g.op('Conv', [depthwise, g.weight(`${name}/pointwise_kernel`, pk.values, pk.shape), ...convBias(ctx, 2, p.filters)],
        [attr.ints('kernel_shape', [1, 1])], `${name}/pointwise`);
    });
    return applyActivation(g, y, p.activation, name);
  }),

  MaxPooling2D: converter(Pooling2DParamsSchema, (ctx) => pool(ctx, 'MaxPool', [...ctx.params.pool_size], [...(ctx.params.strides ?? ctx.params.pool_size)], ctx.params.padding)),
  AveragePooling2D: converter(Pooling2DParamsSchema, (ctx) => pool(ctx, 'AveragePool', [...ctx.params.pool_size], [...(ctx.params.strides ?? ctx.params.pool_size)], ctx.params.padding)),
  MaxPooling1D: converter(Pooling1DParamsSchema, (ctx) => pool(ctx, 'MaxPool', [ctx.params.pool_size], [ctx.params.strides ?? ctx.params.pool_size], ctx.params.padding)),
  AveragePooling1D: converter(Pooling1DParamsSchema, (ctx) => pool(ctx, 'AveragePool', [ctx.params.pool_size], [ctx.params.strides ?? ctx.params.pool_size], ctx.params.padding)),
  GlobalAveragePooling2D: converter(GlobalAveragePooling2DParamsSchema, globalPool('ReduceMean', [1, 2])),
  GlobalMaxPooling2D: converter(GlobalMaxPooling2DKind.params, globalPool('ReduceMax', [1, 2])),
  GlobalAveragePooling1D: converter(GlobalMaxPooling2DKind.params, globalPool('ReduceMean', [1])),
  GlobalMaxPooling1D: converter(GlobalMaxPooling2DKind.params, globalPool('ReduceMax', [1])),

  // tfjs resizes with align_corners = half_pixel_centers = false: source = destination /
  // scale, which is ONNX's 'asymmetric' mapping (and 'floor' for nearest).
  UpSampling2D: converter(UpSampling2DParamsSchema, (ctx) => {
    const { g, name, params: p } = ctx;
    return channelsFirst(ctx, (x) => g.op('Resize', [x, '', g.float([1, 1, ...p.size])], [
      attr.string('mode', p.interpolation === 'nearest' ? 'nearest' : 'linear'),
      attr.string('coordinate_transformation_mode', 'asymmetric'),
      attr.string('nearest_mode', 'floor'),
    ], `${name}/resize`));
  }),

  ZeroPadding2D: converter(ZeroPadding2DParamsSchema, (ctx) => {
    const [[top, bottom], [left, right]] = ctx.params.padding;
    return ctx.g.op('Pad', [input(ctx).x, ctx.g.int64([0, top, left, 0, 0, bottom, right, 0])], [attr.string('mode', 'constant')], ctx.name);
  }),

  Cropping2D: converter(Cropping2DParamsSchema, (ctx) => {
    const { g } = ctx;
    const [[top, bottom], [left, right]] = ctx.params.cropping;
    const [h, w] = input(ctx).shape;
    return g.op('Slice', [input(ctx).x, g.int64([top, left]), g.int64([h! - bottom, w! - right]), g.int64([1, 2])], [], ctx.name);
  }),
};
