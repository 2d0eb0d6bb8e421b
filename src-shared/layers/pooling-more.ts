import { z } from 'zod';
import { defineLayerKind } from './layer-kind.ts';
import { paddingParam, wholeNumber } from './layer-params.ts';
import { requireSequence, slideWindow1d } from './sequence-rules.ts';
import { elements, NO_PARAMS, onlyInput, requireImage } from './shape-rules.ts';

/** Pooling over sequences, and global max pooling (the global average over images is in pooling2d.ts). */

export const Pooling1DParamsSchema = z.object({
  pool_size: wholeNumber('pool_size', 1).default(2),
  /** null moves the window by its own size (Keras' default). */
  strides: wholeNumber('strides', 1).nullable().default(null),
  padding: paddingParam(),
});
type Pooling1DParams = z.infer<typeof Pooling1DParamsSchema>;

function pooling1d(className: 'MaxPooling1D' | 'AveragePooling1D', help: string) {
  return defineLayerKind<Pooling1DParams>({
    className,
    category: 'Pooling',
    help,
    params: Pooling1DParamsSchema,
    inputs: { min: 1, max: 1 },
    inferShape(inputs, p) {
      const [steps, features] = requireSequence(className, onlyInput(inputs));
      return [slideWindow1d(className, steps, p.pool_size, p.strides ?? p.pool_size, p.padding), features];
    },
    countParams: () => NO_PARAMS,
    flops: (_inputs, p, output) => p.pool_size * elements(output),
  });
}

export const MaxPooling1DKind = pooling1d('MaxPooling1D', 'Shortens a sequence by keeping the strongest value in each window of steps.');
export const AveragePooling1DKind = pooling1d('AveragePooling1D', 'Shortens a sequence by averaging each window of steps.');

const NoParams = z.object({});
type NoParams = z.infer<typeof NoParams>;

function globalPooling1d(className: 'GlobalAveragePooling1D' | 'GlobalMaxPooling1D', help: string) {
  return defineLayerKind<NoParams>({
    className,
    category: 'Pooling',
    help,
    params: NoParams,
    inputs: { min: 1, max: 1 },
    inferShape(inputs) {
      const [, features] = requireSequence(className, onlyInput(inputs));
      return [features];
    },
    countParams: () => NO_PARAMS,
    flops: (inputs) => elements(onlyInput(inputs)),
  });
}

export const GlobalAveragePooling1DKind = globalPooling1d('GlobalAveragePooling1D', 'Averages each feature over all steps: one number per feature, whatever the length.');
export const GlobalMaxPooling1DKind = globalPooling1d('GlobalMaxPooling1D', 'Keeps the strongest value of each feature over all steps.');

export const GlobalMaxPooling2DKind = defineLayerKind<NoParams>({
  className: 'GlobalMaxPooling2D',
  category: 'Pooling',
  help: 'Keeps the strongest value of each channel over the whole image: one number per channel.',
  params: NoParams,
  inputs: { min: 1, max: 1 },
  inferShape(inputs) {
    const [, , channels] = requireImage('GlobalMaxPooling2D', onlyInput(inputs));
    return [channels];
  },
  countParams: () => NO_PARAMS,
  flops: (inputs) => elements(onlyInput(inputs)),
});
