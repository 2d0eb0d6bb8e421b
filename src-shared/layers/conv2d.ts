import { z } from 'zod';
import type { Shape } from '../spec/model-spec.ts';
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

/** A 2-D convolution's output: the window slid over height and width, `filters` channels (Conv2D, SeparableConv2D). */
export function filteredImageShape(
  className: string, inputs: readonly Shape[], p: Pick<Conv2DParams, 'kernel_size' | 'strides' | 'padding' | 'filters'>,
): Shape {
  const input = onlyInput(inputs);
  knownLastDim(className, requireImage(className, input), 'channels');
  const [h, w] = slideWindow2d(className, input, p.kernel_size, p.strides, p.padding, 'kernel');
  return [h, w, p.filters];
}

export const Conv2DKind = defineLayerKind<Conv2DParams>({
  className: 'Conv2D',
  category: 'Convolution',
  help: 'Slides small learned filters over an image to detect local patterns such as edges.',
  params: Conv2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape: (inputs, params) => filteredImageShape('Conv2D', inputs, params),
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
