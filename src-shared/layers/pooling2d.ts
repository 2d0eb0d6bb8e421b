import { z } from 'zod';
import { defineLayerKind } from './layer-kind.ts';
import { pairParam, paddingParam } from './layer-params.ts';
import { elements, NO_PARAMS, onlyInput, requireImage, slideWindow2d } from './shape-rules.ts';

export const Pooling2DParamsSchema = z.object({
  pool_size: pairParam('pool_size', '[2, 2]').default([2, 2]),
  /** null moves the window by its own size, so windows do not overlap (Keras' default). */
  strides: pairParam('strides', '[2, 2]').nullable().default(null),
  padding: paddingParam(),
});
export type Pooling2DParams = z.infer<typeof Pooling2DParamsSchema>;

function pooling2d(className: 'MaxPooling2D' | 'AveragePooling2D', help: string) {
  return defineLayerKind<Pooling2DParams>({
    className,
    category: 'Pooling',
    help,
    params: Pooling2DParamsSchema,
    inputs: { min: 1, max: 1 },
    inferShape(inputs, params) {
      const input = onlyInput(inputs);
      const [, , channels] = requireImage(className, input);
      const strides = params.strides ?? params.pool_size;
      const [h, w] = slideWindow2d(className, input, params.pool_size, strides, params.padding, 'window');
      return [h, w, channels];
    },
    countParams: () => NO_PARAMS,
    // One comparison or addition per value in each window.
    flops: (_inputs, params, output) => params.pool_size[0] * params.pool_size[1] * elements(output),
  });
}

export const MaxPooling2DKind = pooling2d('MaxPooling2D', 'Shrinks an image by keeping the strongest value in each small window.');
export const AveragePooling2DKind = pooling2d('AveragePooling2D', 'Shrinks an image by averaging each small window.');

export const GlobalAveragePooling2DParamsSchema = z.object({});
export type GlobalAveragePooling2DParams = z.infer<typeof GlobalAveragePooling2DParamsSchema>;

export const GlobalAveragePooling2DKind = defineLayerKind<GlobalAveragePooling2DParams>({
  className: 'GlobalAveragePooling2D',
  category: 'Pooling',
  help: 'Averages each channel over the whole image: one number per channel, a light alternative to Flatten.',
  params: GlobalAveragePooling2DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs) {
    const [, , channels] = requireImage('GlobalAveragePooling2D', onlyInput(inputs));
    return [channels];
  },
  countParams: () => NO_PARAMS,
  flops: (inputs) => elements(onlyInput(inputs)),
});
