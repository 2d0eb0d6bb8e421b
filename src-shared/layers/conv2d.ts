import { z } from 'zod';
import { defineLayerKind } from './layer-kind.ts';
import { activationParam, booleanParam, pairParam, paddingParam, wholeNumber } from './layer-params.ts';
import { activationFlops, elements, knownLastDim, onlyInput, requireImage, slideWindow2d } from './shape-rules.ts';

export const Conv2DParamsSchema = z.object({
  filters: wholeNumber('filters', 1).default(32),
  kernel_size: pairParam('kernel_size', '[3, 3]').default([3, 3]),
  strides: pairParam('strides', '[1, 1]').default([1, 1]),
  padding: paddingParam(),
  activation: activationParam('relu'),
  use_bias: booleanParam('use_bias', true),
});
export type Conv2DParams = z.infer<typeof Conv2DParamsSchema>;

export const Conv2DKind = defineLayerKind<Conv2DParams>({
  className: 'Conv2D',
  category: 'Convolution',
  help: 'Slides small learned filters over an image to detect local patterns such as edges.',
  params: Conv2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, params) {
    const input = onlyInput(inputs);
    knownLastDim('Conv2D', requireImage('Conv2D', input), 'channels');
    const [h, w] = slideWindow2d('Conv2D', input, params.kernel_size, params.strides, params.padding, 'kernel');
    return [h, w, params.filters];
  },
  countParams(inputs, params) {
    const channels = knownLastDim('Conv2D', requireImage('Conv2D', onlyInput(inputs)), 'channels');
    const [kh, kw] = params.kernel_size;
    return { trainable: kh * kw * channels * params.filters + (params.use_bias ? params.filters : 0), nonTrainable: 0 };
  },
  flops(inputs, params, output) {
    const channels = knownLastDim('Conv2D', onlyInput(inputs), 'channels');
    const [kh, kw] = params.kernel_size;
    const size = elements(output);
    return 2 * kh * kw * channels * size + (params.use_bias ? size : 0) + activationFlops(params.activation, size);
  },
});
