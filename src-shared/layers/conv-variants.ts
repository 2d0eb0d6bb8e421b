import { z } from 'zod';
import { filteredImageShape } from './conv2d.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { activationParam, booleanParam, pairParam, paddingParam, wholeNumber } from './layer-params.ts';
import { requireSequence, slideWindow1d } from './sequence-rules.ts';
import { activationFlops, elements, knownLastDim, onlyInput, requireImage, slideWindow2d } from './shape-rules.ts';

/** Convolutions beyond Conv2D: over sequences, transposed (upsampling), depthwise and separable. */

export const Conv1DParamsSchema = z.object({
  filters: wholeNumber('filters', 1).default(32),
  kernel_size: wholeNumber('kernel_size', 1).default(3),
  strides: wholeNumber('strides', 1).default(1),
  padding: paddingParam(),
  dilation_rate: wholeNumber('dilation_rate', 1).default(1),
  activation: activationParam('relu'),
  use_bias: booleanParam('use_bias', true),
});
type Conv1DParams = z.infer<typeof Conv1DParamsSchema>;

export const Conv1DKind = defineLayerKind<Conv1DParams>({
  className: 'Conv1D',
  category: 'Convolution',
  help: 'Slides learned filters along a sequence (time series, text) to detect local patterns.',
  params: Conv1DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const input = onlyInput(inputs);
    const [steps] = requireSequence('Conv1D', input);
    knownLastDim('Conv1D', input, 'features');
    // tfjs (like Keras) cannot stride and dilate at once.
    if (p.strides > 1 && p.dilation_rate > 1) throw new LayerShapeError('Conv1D cannot combine strides above 1 with dilation_rate above 1 — set one of them to 1');
    return [slideWindow1d('Conv1D', steps, p.kernel_size, p.strides, p.padding, p.dilation_rate), p.filters];
  },
  countParams(inputs, p) {
    const features = knownLastDim('Conv1D', onlyInput(inputs), 'features');
    return { trainable: p.kernel_size * features * p.filters + (p.use_bias ? p.filters : 0), nonTrainable: 0 };
  },
  flops(inputs, p, output) {
    const features = knownLastDim('Conv1D', onlyInput(inputs), 'features');
    const size = elements(output);
    return 2 * p.kernel_size * features * size + (p.use_bias ? size : 0) + activationFlops(p.activation, size);
  },
});

export const Conv2DTransposeParamsSchema = z.object({
  filters: wholeNumber('filters', 1).default(32),
  kernel_size: pairParam('kernel_size', '[3, 3]').default([3, 3]),
  strides: pairParam('strides', '[2, 2]').default([2, 2]),
  padding: paddingParam(),
  activation: activationParam('relu'),
  use_bias: booleanParam('use_bias', true),
});
type Conv2DTransposeParams = z.infer<typeof Conv2DTransposeParamsSchema>;

/**
 * tfjs' deconvLength: 'same' multiplies by the stride, 'valid' also adds what the kernel
 * overhangs. Keras 3 gives (n − 1)·stride + kernel for 'valid', which is the same unless
 * the kernel is smaller than the stride: there tfjs 4.22 makes n·stride (the last
 * stride − kernel rows get only the bias), and Strata follows tfjs, which builds the model.
 */
function transposedLength(size: number | null, stride: number, kernel: number, padding: 'valid' | 'same'): number | null {
  if (size === null) return null;
  return padding === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0);
}

export const Conv2DTransposeKind = defineLayerKind<Conv2DTransposeParams>({
  className: 'Conv2DTranspose',
  category: 'Convolution',
  help: 'A learned upsampling: grows an image (e.g. doubles it with strides 2), as in decoders and GAN generators.',
  params: Conv2DTransposeParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const input = onlyInput(inputs);
    const [h, w] = requireImage('Conv2DTranspose', input);
    knownLastDim('Conv2DTranspose', input, 'channels');
    return [transposedLength(h, p.strides[0], p.kernel_size[0], p.padding), transposedLength(w, p.strides[1], p.kernel_size[1], p.padding), p.filters];
  },
  countParams(inputs, p) {
    const c = knownLastDim('Conv2DTranspose', onlyInput(inputs), 'channels');
    return { trainable: p.kernel_size[0] * p.kernel_size[1] * c * p.filters + (p.use_bias ? p.filters : 0), nonTrainable: 0 };
  },
  // Each input position scatters a whole kernel (k·cin·cout multiply-adds) into the output;
  // counting per output position would overstate it by about stride² where windows overlap.
  flops(inputs, p, output) {
    const input = onlyInput(inputs);
    const c = knownLastDim('Conv2DTranspose', input, 'channels');
    const size = elements(output);
    return 2 * p.kernel_size[0] * p.kernel_size[1] * c * p.filters * elements(input.slice(0, -1)) + (p.use_bias ? size : 0) + activationFlops(p.activation, size);
  },
});

/**
 * The parameters depthwise and separable convolutions share. No dilation_rate: tfjs 4.22's
 * DepthwiseConv2D ignores it (its call passes none and its output shape leaves it out).
 */
const depthwiseFields = {
  kernel_size: pairParam('kernel_size', '[3, 3]').default([3, 3]),
  strides: pairParam('strides', '[1, 1]').default([1, 1]),
  padding: paddingParam(),
  depth_multiplier: wholeNumber('depth_multiplier', 1).default(1),
  activation: activationParam('relu'),
  use_bias: booleanParam('use_bias', true),
};

export const DepthwiseConv2DParamsSchema = z.object(depthwiseFields);
type DepthwiseConv2DParams = z.infer<typeof DepthwiseConv2DParamsSchema>;

export const DepthwiseConv2DKind = defineLayerKind<DepthwiseConv2DParams>({
  className: 'DepthwiseConv2D',
  category: 'Convolution',
  help: 'Filters each channel on its own (no mixing between channels): far fewer weights, as in MobileNet.',
  params: DepthwiseConv2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const input = onlyInput(inputs);
    const c = knownLastDim('DepthwiseConv2D', requireImage('DepthwiseConv2D', input), 'channels');
    const [h, w] = slideWindow2d('DepthwiseConv2D', input, p.kernel_size, p.strides, p.padding, 'kernel');
    return [h, w, c * p.depth_multiplier];
  },
  countParams(inputs, p) {
    const c = knownLastDim('DepthwiseConv2D', onlyInput(inputs), 'channels');
    const out = c * p.depth_multiplier;
    return { trainable: p.kernel_size[0] * p.kernel_size[1] * out + (p.use_bias ? out : 0), nonTrainable: 0 };
  },
  flops(_inputs, p, output) {
    const size = elements(output);
    return 2 * p.kernel_size[0] * p.kernel_size[1] * size + (p.use_bias ? size : 0) + activationFlops(p.activation, size);
  },
});

export const SeparableConv2DParamsSchema = z.object({ filters: wholeNumber('filters', 1).default(32), ...depthwiseFields });
type SeparableConv2DParams = z.infer<typeof SeparableConv2DParamsSchema>;

export const SeparableConv2DKind = defineLayerKind<SeparableConv2DParams>({
  className: 'SeparableConv2D',
  category: 'Convolution',
  help: 'A depthwise filter per channel, then a 1×1 convolution mixing channels: Conv2D at a fraction of the cost.',
  params: SeparableConv2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape: (inputs, p) => filteredImageShape('SeparableConv2D', inputs, p),
  countParams(inputs, p) {
    const c = knownLastDim('SeparableConv2D', onlyInput(inputs), 'channels');
    const depthwise = p.kernel_size[0] * p.kernel_size[1] * c * p.depth_multiplier;
    const pointwise = c * p.depth_multiplier * p.filters;
    return { trainable: depthwise + pointwise + (p.use_bias ? p.filters : 0), nonTrainable: 0 };
  },
  flops(inputs, p, output) {
    const c = knownLastDim('SeparableConv2D', onlyInput(inputs), 'channels');
    const positions = elements(output.slice(0, -1));
    const size = elements(output);
    return 2 * positions * (p.kernel_size[0] * p.kernel_size[1] * c * p.depth_multiplier + c * p.depth_multiplier * p.filters) + (p.use_bias ? size : 0) + activationFlops(p.activation, size);
  },
});
